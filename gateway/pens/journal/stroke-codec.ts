import protobuf from 'protobufjs';
import { DotTrail } from '../strokes/dot-trail.js';
import type { Stroke } from '../strokes/stroke.js';

/**
 * Journal record bodies. A stroke is a small JSON header (pen, address, repairs…) and its dots
 * packed as varints: the first dot whole, each next one as differences from the one before, in
 * the pen's own resolution (hundredths of a unit, whole ms, force steps), as protobufjs varints.
 * A dot costs about 4 bytes instead of the ~40 of JSON, which matters on an SD card with 40 pens
 * writing.
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

const { Reader, Writer } = protobuf;

/** A whole number of up to 53 bits (a time in ms) from protobufjs, which hands 64-bit varints back as Long. */
function readWhole(r: protobuf.Reader): number {
  const v: unknown = r.uint64();
  return typeof v === 'number' ? v : (v as { toNumber(): number }).toNumber();
}

/** Coordinates arrive as whole units plus hundredths (packet-decoder's `coordinate`): stored exactly as integers. */
const hundredths = (v: number) => Math.round(v * 100);

export function encodeStroke(stroke: Stroke): Buffer {
  const { dots, ...rest } = stroke;
  const header: StrokeHeader = rest;
  // protobufjs's varints: LEB128, and zig-zag for the signed differences.
  const out = Writer.create().uint32(KIND_STROKE).bytes(Buffer.from(JSON.stringify(header), 'utf8')).uint32(dots.length);
  let [x, y, t, force] = [0, 0, 0, 0];
  for (let i = 0; i < dots.length; i++) {
    const [dx, dy, dt, df] = [hundredths(dots.x(i)), hundredths(dots.y(i)), Math.round(dots.t(i)), dots.force(i)];
    if (i === 0) out.uint32(dx).uint32(dy).uint64(dt).uint32(df);
    else out.sint32(dx - x).sint32(dy - y).sint32(dt - t).sint32(df - force);
    [x, y, t, force] = [dx, dy, dt, df];
  }
  return Buffer.from(out.finish());
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
  try {
    return { kind: 'stroke', stroke: decodeStroke(body) };
  } catch (err) {
    // protobufjs's own complaints (a number or the header running past the end) are damage too.
    throw err instanceof JournalFormatError ? err : new JournalFormatError(`stroke record damaged: ${(err as Error).message}`);
  }
}

function decodeStroke(body: Buffer): Stroke {
  const r = Reader.create(body);
  r.pos = 1;
  const header = parseJson<StrokeHeader>(Buffer.from(r.bytes()), 'stroke header');
  if (typeof header.pen !== 'string' || typeof header.address !== 'object' || header.address === null) throw new JournalFormatError('stroke header lacks pen or address');
  const count = r.uint32();
  // Every dot takes at least 4 bytes: a count beyond what is left is damage, not a huge stroke.
  if (count * 4 > body.length - r.pos) throw new JournalFormatError(`stroke claims ${count} dots in ${body.length - r.pos} bytes`);
  const dots = new DotTrail(count);
  let [x, y, t, force] = [0, 0, 0, 0];
  for (let i = 0; i < count; i++) {
    if (i === 0) [x, y, t, force] = [r.uint32(), r.uint32(), readWhole(r), r.uint32()];
    else [x, y, t, force] = [x + r.sint32(), y + r.sint32(), t + r.sint32(), force + r.sint32()];
    dots.push(x / 100, y / 100, t, force);
  }
  if (r.pos !== body.length) throw new JournalFormatError('stroke record has bytes after its last dot');
  return { ...header, dots };
}
