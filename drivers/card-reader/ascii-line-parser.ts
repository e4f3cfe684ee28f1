import type { CardParser, ParseCounts } from './card-parser.js';
import type { UidFormat } from './card-reader.js';
import { decimalUid, hexUid } from './uid.js';

const CR = 0x0d;
const LF = 0x0a;
/** Far more than any card number with separators ("04:A2:…", 29 characters for 10 bytes). */
const MAX_LINE = 64;

/**
 * One card number per line, ended by CR, LF or both (empty lines are skipped, so CR LF is one end).
 * A line that is not a number in `format` counts as malformed; one longer than MAX_LINE is
 * dropped up to its end, so a reader at the wrong baud rate cannot grow the buffer.
 */
export class AsciiLineParser implements CardParser {
  readonly #line = Buffer.alloc(MAX_LINE);
  #length = 0;
  #overlong = false;

  constructor(
    private readonly format: UidFormat,
    private readonly counts: ParseCounts,
  ) {}

  push(chunk: Buffer, card: (uid: string) => void): void {
    for (const byte of chunk) {
      if (byte === CR || byte === LF) {
        this.#endLine(card);
      } else if (this.#overlong) {
        continue;
      } else if (this.#length === MAX_LINE) {
        this.#overlong = true;
        this.counts.oversize++;
      } else {
        this.#line[this.#length++] = byte;
      }
    }
  }

  reset(): void {
    this.#length = 0;
    this.#overlong = false;
  }

  #endLine(card: (uid: string) => void): void {
    const text = this.#overlong ? '' : this.#line.toString('latin1', 0, this.#length);
    this.reset();
    if (text.trim() === '') return;
    const uid = this.format === 'hex' ? hexUid(text) : decimalUid(text);
    if (uid === null) this.counts.malformed++;
    else card(uid);
  }
}
