import type { Logger } from '../../gateway/log/logger.js';
import { SerialLink } from '../serial/serial-link.js';
import { createCardParser, type CardParser } from './card-parser.js';
import { CardReaderDevice } from './card-reader-device.js';
import type { CardProtocol, UidFormat } from './card-reader.js';

export interface SerialCardReaderOptions {
  id: string;
  logger: Logger;
  /** e.g. /dev/ttyUSB0 (a USB-UART under an RDM6300), /dev/serial0 (the Pi's GPIO UART), /dev/ttyACM0. */
  path: string;
  protocol: CardProtocol;
  baudRate: number;
  /** ascii-line only: how the reader writes the number. */
  uidFormat: UidFormat;
  debounceMs: number;
  /** At most one malformed-traffic warning this often. */
  warnEveryMs?: number;
}

/** A tap is a few dozen bytes at 9600 baud: 50 ms between reads is well below what a person notices. */
const IDLE_READ_PAUSE_MS = 50;
/** While bytes arrive, come back sooner for the rest of the frame. */
const READ_PAUSE_MS = 20;
const READ_BUFFER_BYTES = 4096;

/** A serial RFID/NFC reader (see SerialLink for the reading). When the port goes away the device goes `disconnected`. */
export class SerialCardReader extends CardReaderDevice {
  readonly #parser: CardParser;
  #link: SerialLink | null = null;
  #warnedBad = 0;
  #warnedAt = 0;

  constructor(private readonly opts: SerialCardReaderOptions) {
    super({ id: opts.id, transport: 'real', logger: opts.logger, debounceMs: opts.debounceMs });
    this.#parser = createCardParser(opts.protocol, opts.uidFormat, this.counts);
  }

  protected override async onStart(): Promise<void> {
    const { path, protocol, baudRate } = this.opts;
    const link = await SerialLink.open({
      path,
      baudRate,
      hardware: 'the card reader',
      busyReadPauseMs: READ_PAUSE_MS,
      idleReadPauseMs: IDLE_READ_PAUSE_MS,
      readBufferBytes: READ_BUFFER_BYTES,
      onData: (chunk) => this.#receive(chunk),
      onLost: (reason) => void this.disconnect(reason),
    });
    this.#link = link;
    this.#parser.reset();
    link.startReading();
    this.setState('ready', `${path}, ${protocol === 'ascii-line' ? `ascii-line (${this.opts.uidFormat})` : protocol} at ${baudRate} baud`);
  }

  protected override async onStop(): Promise<void> {
    const link = this.#link;
    this.#link = null;
    await link?.close();
  }

  #receive(chunk: Buffer): void {
    this.counts.bytes += chunk.length;
    this.#parser.push(chunk, (uid) => this.accept(uid));
    this.#warnIfBad();
  }

  /** Bytes that never parse usually mean the wrong `protocol` or baud rate: say so, but not on every read. */
  #warnIfBad(): void {
    const { garbageBytes, badChecksums, malformed, oversize } = this.counts;
    const bad = garbageBytes + badChecksums + malformed + oversize;
    const now = Date.now();
    if (bad === this.#warnedBad || now - this.#warnedAt < (this.opts.warnEveryMs ?? 10_000)) return;
    this.#warnedBad = bad;
    this.#warnedAt = now;
    const message = `card reader sent traffic that is not ${this.opts.protocol}: ${garbageBytes} garbage bytes, ${badChecksums} bad checksums, ${malformed} malformed and ${oversize} over-long reads so far (wrong protocol or baud rate?); reading continues`;
    this.emitEvent('malformed-traffic', 'warning', message, { garbageBytes, badChecksums, malformed, oversize });
  }
}
