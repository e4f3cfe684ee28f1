import type { Logger } from '../../gateway/log/logger.js';
import { SerialLink } from '../serial/serial-link.js';
import { PenHubDevice } from './hub/pen-hub-device.js';
import type { SessionOptions } from './session/pen-session.js';

export interface SerialPenHubOptions {
  id: string;
  logger: Logger;
  /** The hub's CDC-ACM port, e.g. /dev/ttyACM0 (or a /dev/serial/by-id/… link, which survives replugging). */
  path: string;
  baudRate?: number;
  session?: SessionOptions;
}

/**
 * A USB hub sends a packet every millisecond, and reading each one costs more than parsing it:
 * waiting this long between reads lets the kernel gather a few, for a few ms of latency.
 */
const READ_PAUSE_MS = 8;
/** A quiet hub (no pen writing) is read less often, so an idle box does not wake 250 times a second. */
const IDLE_READ_PAUSE_MS = 20;
const READ_BUFFER_BYTES = 64 * 1024;

/** The USB pen hub on its serial port (see SerialLink). When the port goes away the device goes `disconnected`. */
export class SerialPenHub extends PenHubDevice {
  private link: SerialLink | null = null;

  constructor(private readonly opts: SerialPenHubOptions) {
    super({ id: opts.id, transport: 'real', logger: opts.logger, ...(opts.session ? { session: opts.session } : {}) });
  }

  protected override async onStart(): Promise<void> {
    const { path } = this.opts;
    const baudRate = this.opts.baudRate ?? 115_200;
    const link = await SerialLink.open({
      path,
      baudRate,
      hardware: 'the pen hub',
      busyReadPauseMs: READ_PAUSE_MS,
      idleReadPauseMs: IDLE_READ_PAUSE_MS,
      readBufferBytes: READ_BUFFER_BYTES,
      onData: (chunk) => this.receive(chunk),
      onLost: (reason) => void this.disconnect(reason),
    });
    this.link = link;
    this.receiver.open();
    link.startReading();
    this.setState('ready', `${path} at ${baudRate} baud`);
  }

  protected override async onStop(): Promise<void> {
    const link = this.link;
    this.link = null;
    this.receiver.close('hub stopped');
    await link?.close();
  }

  protected override write(bytes: Buffer): void {
    this.link?.write(bytes);
  }
}
