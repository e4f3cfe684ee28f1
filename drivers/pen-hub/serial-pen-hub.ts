import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { autoDetect } from '@serialport/bindings-cpp';
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

/**
 * A USB hub sends a packet every millisecond, and reading each one costs more than parsing it:
 * waiting this long between reads lets the kernel gather a few, for a few ms of latency.
 */
const READ_PAUSE_MS = 4;
const READ_BUFFER_BYTES = 64 * 1024;

type BindingPortInterface = Awaited<ReturnType<ReturnType<typeof autoDetect>['open']>>;

/**
 * The USB pen hub on its serial port, read through node-serialport's bindings directly (its
 * stream reads each packet as it arrives). When the port goes away the device goes `disconnected`.
 */
export class SerialPenHub extends PenHubDevice {
  private port: BindingPortInterface | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly opts: SerialPenHubOptions) {
    super({ id: opts.id, transport: 'real', logger: opts.logger, ...(opts.session ? { session: opts.session } : {}) });
  }

  protected override async onStart(): Promise<void> {
    const { path } = this.opts;
    if (!existsSync(path)) throw new Error(`serial port ${path} not found: is the pen hub plugged in?`);
    const port = await autoDetect()
      .open({ path, baudRate: this.opts.baudRate ?? 115_200 })
      .catch((err: unknown) => {
        throw new Error(`serial port ${path} could not be opened: ${errorMessage(err)}`);
      });
    this.port = port;
    this.receiver.open();
    void this.readLoop(port);
    this.setState('ready', `${path} at ${this.opts.baudRate ?? 115_200} baud`);
  }

  protected override async onStop(): Promise<void> {
    const port = this.port;
    this.port = null;
    this.receiver.close('hub stopped');
    if (port?.isOpen) await port.close().catch(() => undefined);
  }

  /**
   * One write at a time, as the bindings require: two overlapping writes that both meet a full
   * pty buffer (EAGAIN) leave the fd poller firing readable/writable in a loop, a core at 85 %.
   */
  protected override write(bytes: Buffer): void {
    const port = this.port;
    if (!port?.isOpen) return;
    this.writing = this.writing
      .then(() => (port.isOpen ? port.write(bytes) : undefined))
      .catch((err: unknown) => this.failed(port, `serial port ${this.opts.path} failed: ${errorMessage(err)}`));
  }

  private async readLoop(port: BindingPortInterface): Promise<void> {
    const buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
    while (this.port === port) {
      try {
        const { bytesRead } = await port.read(buffer, 0, buffer.length);
        // Copied: the parsers may keep a partial frame of it until the next read.
        if (this.port === port) this.receive(Buffer.from(buffer.subarray(0, bytesRead)));
      } catch (err) {
        // A read cancelled by our own close is the normal end; any other error is the hub going away.
        if ((err as { canceled?: boolean }).canceled) return;
        return this.failed(port, `serial port ${this.opts.path} closed: the pen hub was unplugged (${errorMessage(err)})`);
      }
      await sleep(READ_PAUSE_MS);
    }
  }

  private failed(port: BindingPortInterface, reason: string): void {
    if (this.port === port) void this.disconnect(reason);
  }
}
