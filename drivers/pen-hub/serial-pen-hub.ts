import { existsSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { errorMessage } from '../../gateway/devices/device.js';
import type { Logger } from '../../gateway/log/logger.js';
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

/** The USB pen hub on its serial port. When the port goes away the device goes `disconnected`. */
export class SerialPenHub extends PenHubDevice {
  private port: SerialPort | null = null;

  constructor(private readonly opts: SerialPenHubOptions) {
    super({ id: opts.id, transport: 'real', logger: opts.logger, ...(opts.session ? { session: opts.session } : {}) });
  }

  protected override async onStart(): Promise<void> {
    const { path } = this.opts;
    if (!existsSync(path)) throw new Error(`serial port ${path} not found: is the pen hub plugged in?`);
    const port = new SerialPort({ path, baudRate: this.opts.baudRate ?? 115_200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(new Error(`serial port ${path} could not be opened: ${err.message}`)) : resolve())));
    this.port = port;
    port.on('data', (chunk: Buffer) => this.receive(chunk));
    // Closed underneath us (unplugged, or the far end of a pty vanished): the supervisor restarts us.
    port.on('close', () => {
      if (this.port === port) void this.disconnect(`serial port ${path} closed: the pen hub was unplugged`);
    });
    port.on('error', (err) => {
      if (this.port === port) void this.disconnect(`serial port ${path} failed: ${errorMessage(err)}`);
    });
    this.receiver.open();
    this.setState('ready', `${path} at ${this.opts.baudRate ?? 115_200} baud`);
  }

  protected override async onStop(): Promise<void> {
    const port = this.port;
    this.port = null;
    this.receiver.close('hub stopped');
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  protected override write(bytes: Buffer): void {
    if (this.port?.isOpen) this.port.write(bytes);
  }
}
