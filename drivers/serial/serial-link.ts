import { existsSync, readSync } from 'node:fs';
import { autoDetect } from '@serialport/bindings-cpp';
import { errorMessage } from '../../gateway/devices/device.js';

type BindingPort = Awaited<ReturnType<ReturnType<typeof autoDetect>['open']>>;

export interface SerialLinkOptions {
  /** e.g. /dev/ttyACM0, or a /dev/serial/by-id/… link, which survives replugging. */
  path: string;
  baudRate: number;
  /** Names the hardware in messages: "is the pen hub plugged in?". */
  hardware: string;
  /** Pause between reads while bytes arrive: lets the kernel gather several packets per wake-up. */
  busyReadPauseMs: number;
  /** Pause while the port is quiet, so an idle box does not wake hundreds of times a second. */
  idleReadPauseMs: number;
  /** The most one read takes; what does not fit waits for the next read. */
  readBufferBytes: number;
  /** What the hardware sent; the chunk is the receiver's to keep. */
  onData(chunk: Buffer): void;
  /** The port closed or failed underneath (unplugged): reported once, and never after close(). */
  onLost(reason: string): void;
}

/**
 * A serial port opened and written through node-serialport's bindings, whose file descriptor we
 * read ourselves (their stream reads each packet as it arrives, which costs more than the parsing).
 */
export class SerialLink {
  #closed = false;
  #lost = false;
  #writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly port: BindingPort,
    private readonly fd: number,
    private readonly opts: SerialLinkOptions,
  ) {}

  /** Opens the port without reading yet: the caller may have to write a greeting first. */
  static async open(opts: SerialLinkOptions): Promise<SerialLink> {
    const { path } = opts;
    if (!existsSync(path)) throw new Error(`serial port ${path} not found: is ${opts.hardware} plugged in?`);
    const port = await autoDetect()
      .open({ path, baudRate: opts.baudRate })
      .catch((err: unknown) => {
        throw new Error(`serial port ${path} could not be opened: ${errorMessage(err)}`);
      });
    const fd = (port as { fd?: number | null }).fd;
    if (typeof fd !== 'number') {
      await port.close().catch(() => undefined);
      throw new Error(`serial port ${path}: the serial bindings gave no file descriptor to read`);
    }
    return new SerialLink(port, fd, opts);
  }

  /**
   * Reads the file descriptor non-blocking and synchronously on a timer: EAGAIN means nothing yet,
   * and a hang-up shows as EIO or end-of-file. The bindings' own read can hang for ever when the
   * hardware goes away (their poller reports a hang-up without waking the read), and an
   * asynchronous read goes through libuv's thread pool, which costs more than the parsing.
   */
  startReading(): void {
    const { path, hardware, busyReadPauseMs, idleReadPauseMs } = this.opts;
    const buffer = Buffer.allocUnsafe(this.opts.readBufferBytes);
    const readOnce = (): void => {
      if (this.#closed) return;
      let bytesRead: number;
      try {
        bytesRead = readSync(this.fd, buffer, 0, buffer.length, null);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN' || code === 'EWOULDBLOCK' || code === 'EINTR') return void setTimeout(readOnce, idleReadPauseMs);
        return this.#lose(`serial port ${path} closed: ${hardware} was unplugged (${errorMessage(err)})`);
      }
      if (bytesRead === 0) return this.#lose(`serial port ${path} closed: ${hardware} was unplugged`);
      // Copied: the parsers may keep a partial frame of it until the next read.
      this.opts.onData(Buffer.from(buffer.subarray(0, bytesRead)));
      setTimeout(readOnce, busyReadPauseMs);
    };
    readOnce();
  }

  /**
   * One write at a time, as the bindings require: two overlapping writes that both meet a full
   * pty buffer (EAGAIN) leave the fd poller firing readable/writable in a loop, a core at 85 %.
   * Dropped once the port is closed: the hardware is gone anyway.
   */
  write(bytes: Buffer): void {
    const port = this.port;
    if (this.#closed || !port.isOpen) return;
    this.#writing = this.#writing
      .then(() => (port.isOpen ? port.write(bytes) : undefined))
      .catch((err: unknown) => this.#lose(`serial port ${this.opts.path} failed: ${errorMessage(err)}`));
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.port.isOpen) await this.port.close().catch(() => undefined);
  }

  #lose(reason: string): void {
    if (this.#closed || this.#lost) return;
    this.#lost = true;
    this.opts.onLost(reason);
  }
}
