import type { Logger } from '../../gateway/log/logger.js';
import { PenHubDevice } from './hub/pen-hub-device.js';
import type { PenScript } from './pen-hub.js';
import type { SessionOptions } from './session/pen-session.js';
import type { FaultRates } from './sim/faults.js';
import { randomScripts } from './sim/script-generator.js';
import { VirtualHub } from './sim/virtual-hub.js';

export interface SimulatedPenHubOptions {
  id: string;
  logger: Logger;
  /** What each pen writes; default: random plausible writing for `pens` pens. */
  scripts?: PenScript[];
  pens?: number;
  seed?: number;
  faults?: boolean | FaultRates;
  lockedPens?: number[];
  session?: SessionOptions;
}

/**
 * A pen hub with no hardware: a VirtualHub in this process produces the hub's byte stream, which
 * goes through exactly the parsing path of the serial hub.
 */
export class SimulatedPenHub extends PenHubDevice {
  private hub: VirtualHub | null = null;

  constructor(private readonly opts: SimulatedPenHubOptions) {
    super({ id: opts.id, transport: 'simulated', logger: opts.logger, ...(opts.session ? { session: opts.session } : {}) });
  }

  protected override async onStart(): Promise<void> {
    const seed = this.opts.seed ?? 1;
    const scripts = this.opts.scripts ?? randomScripts(this.opts.pens ?? 40, seed);
    this.hub = new VirtualHub({ scripts, seed, faults: this.opts.faults ?? false, lockedPens: this.opts.lockedPens ?? [] }, (bytes) => this.receive(bytes));
    this.hub.start();
    this.receiver.open();
    this.setState('ready', `simulated hub, ${scripts.length} pens${this.opts.faults ? ', with faults' : ''}`);
  }

  protected override async onStop(): Promise<void> {
    this.hub?.stop();
    this.hub = null;
    this.receiver.close('hub stopped');
  }

  protected override write(bytes: Buffer): void {
    this.hub?.receive(bytes);
  }
}
