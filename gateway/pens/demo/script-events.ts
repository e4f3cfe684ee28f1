import type { PenEvent, PenScript } from '../../../drivers/pen-hub/pen-hub.js';

const DOT_MS = 8;

/** The point `share` (0..1) of the way along a polyline, by length. */
function along(points: { x: number; y: number }[], lengths: number[], share: number): { x: number; y: number } {
  const target = share * lengths[lengths.length - 1]!;
  let i = 1;
  while (i < lengths.length - 1 && lengths[i]! < target) i++;
  const a = points[i - 1] ?? points[0]!;
  const b = points[i] ?? a;
  const seg = lengths[i]! - lengths[i - 1]! || 1;
  const t = Math.min(1, Math.max(0, (target - lengths[i - 1]!) / seg));
  return { x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y) };
}

/**
 * The protocol 2.0 events a pen sends for a script, as the hub driver delivers them: for each
 * stroke a pen-down, paper info, a dot every 8 ms along the path, and a pen-up with its dot
 * count. `pen` names the pen; the clock starts at `startAt`.
 */
export function scriptEvents(script: PenScript, pen: string, startAt: number): PenEvent[] {
  const events: PenEvent[] = [];
  let ec = 0;
  let now = startAt;
  const ref = () => ({ pen, mac: script.mac, receivedAt: now, ec: ec++ % 256 });
  for (const s of script.strokes) {
    now += s.pauseBeforeMs;
    const downAt = now;
    events.push({ ...ref(), type: 'down', at: downAt, tip: 'pen', color: 0 }, { ...ref(), type: 'paper', ...s.address });
    const lengths = [0];
    for (let i = 1; i < s.points.length; i++) lengths.push(lengths[i - 1]! + Math.hypot(s.points[i]!.x - s.points[i - 1]!.x, s.points[i]!.y - s.points[i - 1]!.y));
    if (s.points.length === 1) lengths.push(0);
    const dots = Math.max(2, Math.round(s.durationMs / DOT_MS));
    for (let k = 0; k < dots; k++) {
      const p = along(s.points.length === 1 ? [s.points[0]!, s.points[0]!] : s.points, lengths, k / (dots - 1));
      now = downAt + k * DOT_MS;
      events.push({ ...ref(), type: 'dot', dtMs: k === 0 ? 0 : DOT_MS, force: 400, x: p.x, y: p.y, tiltX: 0, tiltY: 0, twist: 0 });
    }
    now = downAt + s.durationMs;
    events.push({ ...ref(), type: 'up', at: now, dotCount: dots, images: null });
  }
  return events;
}
