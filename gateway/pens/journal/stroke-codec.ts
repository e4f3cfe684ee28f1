import type { Stroke } from '../strokes/stroke.js';

/**
 * Journal record bodies. A stroke is a small JSON header (pen, address, repairs…) and its dots
 * packed as varints: the first dot whole, each next one as differences from the one before, in
 * the pen's own resolution (hundredths of a unit, whole ms, force steps). A dot costs about 4 bytes
 * instead of the ~40 of JSON, which matters on an SD card with 40 pens writing.
 *
 *   stroke    (kind 1): u8 kind | varint headerLength | header (UTF-8 JSON) | varint dotCount | dots
 *   page sent (kind 2): u8 kind | UTF-8 JSON { key, revision, strokes }
 *   batch     (kind 3): u8 kind | raw deflate of the framed records of one flush (halves the bytes again)
 */
export const KIND_STROKE = 1;
export const KIND_PAGE_SENT = 2;
export const KIND_BATCH = 3;
export const RECORD_KINDS: ReadonlySet<number> = new Set([KIND_STROKE, KIND_PAGE_SENT]);
export const BATCH_KINDS: ReadonlySet<number> = new Set([KIND_BATCH]);

/** A page's answers went out: `revision`, read from its first `strokes` strokes. */
export interface PageSent {
  key: string;
  revision: number;
  strokes: number;
}

export type JournalRecord = { kind: 'stroke'; stroke: Stroke } | { kind: 'page-sent'; sent: PageSent };

export class JournalFormatError extends Error {
  override name = 'JournalFormatError';
}

type StrokeHeader = Omit<Stroke, 'dots'>;

/** Growable byte buffer for varints; one per encoding. */
class Bytes {
  private buf: Buffer;
  length = 0;

  constructor(capacity: number) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(bigger, 0, 0, this.length);
    this.buf = bigger;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.length++] = b;
  }

  raw(bytes: Buffer): void {
    this.room(bytes.length);
    this.length += bytes.copy(this.buf, this.length);
  }

  /** Unsigned LEB128, for whole numbers up to 2^53 (a timestamp in ms fits). */
  varint(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`varint out of range: ${n}`);
    while (n >= 0x80) {
      this.byte((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    this.byte(n);
  }

  /** Signed, zig-zag folded so small differences of either sign stay one byte. */
  signed(n: number): void {
    this.varint(n < 0 ? -2 * n - 1 : 2 * n);
  }

  done(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}

class Reader {
  at = 0;

  constructor(private readonly buf: Buffer) {}

  varint(): number {
    let n = 0;
    let scale = 1;
    for (;;) {
      if (this.at >= this.buf.length) throw new JournalFormatError('record ends inside a number');
      const b = this.buf[this.at++]!;
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 0x80;
      if (scale > 2 ** 56) throw new JournalFormatError('number longer than 8 bytes');
    }
  }

  signed(): number {
    const z = this.varint();
    return z % 2 === 1 ? -(z + 1) / 2 : z / 2;
  }

  take(n: number): Buffer {
    if (this.at + n > this.buf.length) throw new JournalFormatError('record ends inside its header');
    const out = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
}

/** Coordinates arrive as whole units plus hundredths (packet-decoder's `coordinate`): stored exactly as integers. */
const hundredths = (v: number) => Math.round(v * 100);

export function encodeStroke(stroke: Stroke): Buffer {
  const { dots, ...rest } = stroke;
  const header: StrokeHeader = rest;
  const out = new Bytes(64 + dots.length * 5);
  out.byte(KIND_STROKE);
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  out.varint(json.length);
  out.raw(json);
  out.varint(dots.length);
  let [x, y, t, force] = [0, 0, 0, 0];
  for (let i = 0; i < dots.length; i++) {
    const d = dots[i]!;
    const [dx, dy, dt, df] = [hundredths(d.x), hundredths(d.y), Math.round(d.t), d.force];
    if (i === 0) {
      out.varint(dx);
      out.varint(dy);
      out.varint(dt);
      out.varint(df);
    } else {
      out.signed(dx - x);
      out.signed(dy - y);
      out.signed(dt - t);
      out.signed(df - force);
    }
    [x, y, t, force] = [dx, dy, dt, df];
  }
  return out.done();
}

export function encodePageSent(sent: PageSent): Buffer {
  return Buffer.concat([Buffer.from([KIND_PAGE_SENT]), Buffer.from(JSON.stringify(sent), 'utf8')]);
}

function parseJson<T>(bytes: Buffer, what: string): T {
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch {
    throw new JournalFormatError(`${what} is not JSON`);
  }
}

/** A body whose CRC already matched; JournalFormatError for a layout no encoder writes. */
export function decodeRecord(body: Buffer): JournalRecord {
  if (body[0] === KIND_PAGE_SENT) {
    const sent = parseJson<PageSent>(body.subarray(1), 'page-sent record');
    if (typeof sent.key !== 'string' || !Number.isInteger(sent.revision) || !Number.isInteger(sent.strokes)) throw new JournalFormatError('page-sent record lacks key, revision or strokes');
    return { kind: 'page-sent', sent };
  }
  if (body[0] !== KIND_STROKE) throw new JournalFormatError(`unknown record kind ${body[0]}`);
  const r = new Reader(body);
  r.at = 1;
  const header = parseJson<StrokeHeader>(r.take(r.varint()), 'stroke header');
  if (typeof header.pen !== 'string' || typeof header.address !== 'object' || header.address === null) throw new JournalFormatError('stroke header lacks pen or address');
  const count = r.varint();
  // Every dot takes at least 4 bytes: a count beyond what is left is damage, not a huge stroke.
  if (count * 4 > body.length - r.at) throw new JournalFormatError(`stroke claims ${count} dots in ${body.length - r.at} bytes`);
  const dots: Stroke['dots'] = [];
  let [x, y, t, force] = [0, 0, 0, 0];
  for (let i = 0; i < count; i++) {
    if (i === 0) [x, y, t, force] = [r.varint(), r.varint(), r.varint(), r.varint()];
    else [x, y, t, force] = [x + r.signed(), y + r.signed(), t + r.signed(), force + r.signed()];
    dots.push({ x: x / 100, y: y / 100, t, force });
  }
  if (r.at !== body.length) throw new JournalFormatError('stroke record has bytes after its last dot');
  return { kind: 'stroke', stroke: { ...header, dots } };
}
