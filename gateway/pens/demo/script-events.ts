import type { PenEvent, PenScript } from '../../../drivers/pen-hub/pen-hub.js';
import { pointAlong } from '../../../drivers/pen-hub/sim/path.js';
import { DOT_INTERVAL_MS, dotsIn } from '../../../drivers/pen-hub/sim/virtual-pen.js';

/**
 * The protocol 2.0 events a pen sends for a script, as the hub driver delivers them: for each
 * stroke a pen-down, paper info, a dot every 8 ms along the path, and a pen-up with its dot
 * count. `pen` names the pen; the clock starts at `startAt`. Coordinates are in the pen's own
 * resolution, whole units and hundredths, as the wire carries them.
 */
const onWire = (v: number) => Math.round(v * 100) / 100;

export function scriptEvents(script: PenScript, pen: string, startAt: number): PenEvent[] {
  const events: PenEvent[] = [];
  let ec = 0;
  let now = startAt;
  const ref = () => ({ pen, mac: script.mac, receivedAt: now, ec: ec++ % 256 });
  for (const s of script.strokes) {
    now += s.pauseBeforeMs;
    const downAt = now;
    events.push({ ...ref(), type: 'down', at: downAt, tip: 'pen', color: 0 }, { ...ref(), type: 'paper', ...s.address });
    const dots = dotsIn(s);
    for (let k = 0; k < dots; k++) {
      const p = pointAlong(s.points, k / (dots - 1));
      now = downAt + k * DOT_INTERVAL_MS;
      events.push({ ...ref(), type: 'dot', dtMs: k === 0 ? 0 : DOT_INTERVAL_MS, force: 400, x: onWire(p.x), y: onWire(p.y), tiltX: 0, tiltY: 0, twist: 0 });
    }
    now = downAt + s.durationMs;
    events.push({ ...ref(), type: 'up', at: now, dotCount: dots, images: null });
  }
  return events;
}
