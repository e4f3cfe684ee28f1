import type { CardParser, ParseCounts } from './card-parser.js';

const STX = 0x02;
const ETX = 0x03;
const CR = 0x0d;
const LF = 0x0a;
/** 10 hex digits of data (version byte + 32-bit tag), then 2 of checksum. */
const DATA_CHARS = 10;
const BODY_CHARS = DATA_CHARS + 2;
/** ID Innovations' ID-12LA / ID-20LA send the same frame with CR LF before ETX: allowed. */
const MAX_TRAILER = 2;
const BETWEEN_FRAMES = -1;

function hexValue(char: number): number {
  if (char >= 0x30 && char <= 0x39) return char - 0x30;
  const upper = char & ~0x20;
  return upper >= 0x41 && upper <= 0x46 ? upper - 0x37 : -1;
}

/**
 * RDM6300 (EM4100, 125 kHz) frames: STX, 10 hex digits, 2 hex digits of checksum, ETX. The
 * checksum is the XOR of the five data bytes. A frame is abandoned (malformed) at the first byte
 * that does not fit, and a new STX always starts over, so the parser resynchronises at once.
 */
export class Rdm6300Parser implements CardParser {
  readonly #body = Buffer.alloc(BODY_CHARS);
  /** Bytes of the current frame after its STX, or BETWEEN_FRAMES. */
  #position = BETWEEN_FRAMES;

  constructor(private readonly counts: ParseCounts) {}

  push(chunk: Buffer, card: (uid: string) => void): void {
    for (const byte of chunk) {
      if (byte === STX) {
        if (this.#position !== BETWEEN_FRAMES) this.counts.malformed++;
        this.#position = 0;
      } else if (this.#position === BETWEEN_FRAMES) {
        this.counts.garbageBytes++;
      } else if (this.#position < BODY_CHARS) {
        if (hexValue(byte) < 0) this.#abandon();
        else this.#body[this.#position++] = byte;
      } else if (byte === ETX) {
        this.#position = BETWEEN_FRAMES;
        const uid = this.#checkedUid();
        if (uid === null) this.counts.badChecksums++;
        else card(uid);
      } else if ((byte === CR || byte === LF) && this.#position < BODY_CHARS + MAX_TRAILER) {
        this.#position++;
      } else {
        this.#abandon();
      }
    }
  }

  reset(): void {
    this.#position = BETWEEN_FRAMES;
  }

  #abandon(): void {
    this.counts.malformed++;
    this.#position = BETWEEN_FRAMES;
  }

  #checkedUid(): string | null {
    const body = this.#body;
    let xor = 0;
    for (let i = 0; i < DATA_CHARS; i += 2) xor ^= (hexValue(body[i]!) << 4) | hexValue(body[i + 1]!);
    const checksum = (hexValue(body[DATA_CHARS]!) << 4) | hexValue(body[DATA_CHARS + 1]!);
    return xor === checksum ? body.toString('latin1', 0, DATA_CHARS).toUpperCase() : null;
  }
}
