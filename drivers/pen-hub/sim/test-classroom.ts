import { silentLogger } from '../../../gateway/log/logger.js';
import { HubReceiver } from '../hub/hub-receiver.js';
import type { HubEvent, PenScript } from '../pen-hub.js';
import type { FaultRates } from './faults.js';
import { randomScripts } from './script-generator.js';
import { VirtualHub } from './virtual-hub.js';

export interface ClassroomOptions {
  pens: number;
  scripts?: PenScript[];
  lockedPens?: number[];
  faults?: boolean | FaultRates;
}

/**
 * For tests: a HubReceiver wired to a VirtualHub in memory, both driven by a clock the test moves
 * (`run(ms)` steps the hub every 8 ms), so nothing depends on real time.
 */
export function classroom(opts: ClassroomOptions) {
  const notices: { type: string; message: string }[] = [];
  const writes: Buffer[] = [];
  let hub: VirtualHub | null = null;
  const receiver = new HubReceiver({
    deviceId: 'hub',
    logger: silentLogger(),
    write: (b) => (writes.push(b), hub!.receive(b)),
    notify: (type, _level, message) => notices.push({ type, message }),
  });
  const events: HubEvent[] = [];
  receiver.onEvent((e) => events.push(e));
  hub = new VirtualHub({ scripts: opts.scripts ?? randomScripts(opts.pens, 5), seed: 5, lockedPens: opts.lockedPens ?? [], faults: opts.faults ?? false }, (b) => receiver.receive(b));
  hub.start(0);
  // Stepped by hand: the real-time timer is not wanted.
  hub.stop();
  receiver.open();
  let now = 0;
  const run = (forMs: number) => {
    for (const end = now + forMs; now <= end; now += 8) hub!.step(now);
  };
  return { receiver, hub, events, notices, writes, run };
}
