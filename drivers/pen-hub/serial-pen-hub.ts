import { existsSync, readSync } from 'node:fs';
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
const READ_PAUSE_MS = 8;
/** A quiet hub (no pen writing) is read less often, so an idle box does not wake 250 times a second. */
const IDLE_READ_PAUSE_MS = 20;
const READ_BUFFER_BYTES = 64 * 1024;

type BindingPortInterface = Awaited<ReturnType<ReturnType<typeof autoDetect>['open']>>;

/**
 * The USB pen hub on its serial port, opened and written through node-serialport's bindings
 * (its stream reads each packet as it arrives, which costs more than the parsing). When the port goes away the device goes `disconnected`.
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
    const fd = (port as { fd?: number | null }).fd;
    if (typeof fd !== 'number') {
      await port.close().catch(() => undefined);
      throw new Error(`serial port ${path}: the serial bindings gave no file descriptor to read`);
    }
    this.port = port;
    this.receiver.open();
    this.readLoop(port, fd);
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

  /**
   * Reads the port's file descriptor ourselves, non-blocking and synchronously on a timer: EAGAIN
   * means nothing yet, and a hang-up shows as EIO or end-of-file. The bindings' own read can hang
   * for ever when the hub goes away (their poller reports a hang-up without waking the read), and
   * an asynchronous read goes through libuv's thread pool, which costs more than the parsing.
   */
  private readLoop(port: BindingPortInterface, fd: number): void {
    const buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
    const readOnce = (): void => {
      if (this.port !== port) return;
      let bytesRead: number;
      try {
        bytesRead = readSync(fd, buffer, 0, buffer.length, null);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN' || code === 'EWOULDBLOCK' || code === 'EINTR') return void setTimeout(readOnce, IDLE_READ_PAUSE_MS);
        return this.failed(port, `serial port ${this.opts.path} closed: the pen hub was unplugged (${errorMessage(err)})`);
      }
      if (bytesRead === 0) return this.failed(port, `serial port ${this.opts.path} closed: the pen hub was unplugged`);
      // Copied: the parsers may keep a partial frame of it until the next read.
      this.receive(Buffer.from(buffer.subarray(0, bytesRead)));
      setTimeout(readOnce, READ_PAUSE_MS);
    };
    readOnce();
  }

  private failed(port: BindingPortInterface, reason: string): void {
    if (this.port === port) void this.disconnect(reason);
  }
}
