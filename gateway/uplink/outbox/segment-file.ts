import { crc32c } from './crc32c.js';
import { KIND_MESSAGE, KIND_SNAPSHOT } from './record.js';

/**
 * Framing of the append-only segment files: each record is [u32 bodyLength][u32 CRC-32C(body)][body],
 * little-endian, back to back with no file header. Scanning steps over damage in the middle of a
 * file (bit rot: the records after it are still good) and reports damage that reaches the end
 * (a torn tail: the process or the power died mid-write).
 */

export const FRAME_HEADER_BYTES = 8;
/** The smallest body the record layer writes (an empty sequence snapshot); shorter lengths are damage. */
const MIN_BODY_BYTES = 5;

const NAME_RE = /^(\d{20})\.seg$/;

/** Segment files are named after the first LSN they may hold, zero-padded so names sort numerically. */
export function segmentFileName(firstLsn: number): string {
  return `${String(firstLsn).padStart(20, '0')}.seg`;
}

export function parseSegmentFileName(name: string): number | null {
  const m = NAME_RE.exec(name);
  return m ? Number(m[1]) : null;
}

export function encodeFrame(body: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + body.length);
  frame.writeUInt32LE(body.length, 0);
  frame.writeUInt32LE(crc32c(body), 4);
  body.copy(frame, FRAME_HEADER_BYTES);
  return frame;
}

export type FrameCheck =
  | { body: Buffer; end: number }
  /** end: where the frame would end, when its length field is plausible and within the file. */
  | { error: string; end: number | null; runsPastEnd: boolean };

/** The frame at offset, or why there is no valid frame there. */
export function frameAt(buf: Buffer, offset: number): FrameCheck {
  if (buf.length - offset < FRAME_HEADER_BYTES) return { error: 'short frame header', end: null, runsPastEnd: true };
  const length = buf.readUInt32LE(offset);
  if (length < MIN_BODY_BYTES) return { error: `impossible record length ${length}`, end: null, runsPastEnd: false };
  const end = offset + FRAME_HEADER_BYTES + length;
  if (end > buf.length) return { error: `record of ${length} bytes runs past the end of the file`, end: null, runsPastEnd: true };
  if (crc32c(buf, offset + FRAME_HEADER_BYTES, end) !== buf.readUInt32LE(offset + 4)) {
    return { error: 'CRC mismatch', end, runsPastEnd: false };
  }
  return { body: buf.subarray(offset + FRAME_HEADER_BYTES, end), end };
}

export interface Damage {
  offset: number;
  /** Bytes from offset that could not be read. */
  length: number;
  reason: string;
}

export interface ScanResult {
  /** Damaged stretches with intact frames after them. */
  skipped: Damage[];
  /**
   * Damage with no intact frame after it, up to the end of the file: in the newest segment the
   * signature of an interrupted write (a torn tail), anywhere else the loss of the file's rest.
   */
  tail: Damage | null;
}

/**
 * Walks the frames of a whole segment file, handing each intact body (and its frame offset) to
 * onFrame. `kinds` are the first body bytes a frame may start with (the outbox's by default; the
 * pens' stroke journal uses the same framing with its own).
 */
export function scanFrames(buf: Buffer, onFrame: (body: Buffer, offset: number) => void, kinds: ReadonlySet<number> = RECORD_KINDS): ScanResult {
  const skipped: Damage[] = [];
  let offset = 0;
  while (offset < buf.length) {
    const frame = frameAt(buf, offset);
    if ('body' in frame) {
      onFrame(frame.body, offset);
      offset = frame.end;
      continue;
    }
    const next = nextFrameAfter(buf, offset, frame.end, kinds);
    const damage = { offset, length: (next ?? buf.length) - offset, reason: frame.error };
    if (next === null) return { skipped, tail: damage };
    skipped.push(damage);
    offset = next;
  }
  return { skipped, tail: null };
}

/** CRC work allowed for one resynchronisation, so a pathological file cannot stall start-up for minutes. */
const RESYNC_BUDGET_BYTES = 256 * 1024 * 1024;
const RECORD_KINDS = new Set([KIND_MESSAGE, KIND_SNAPSHOT]);

/**
 * Where the next intact frame begins after damage at offset: right after the damaged frame if its
 * length field survived, else the first later offset holding a frame whose CRC matches. A bad
 * sector thus costs the records in it, not the rest of the file. Candidates must start with a
 * known record kind, which spares the CRC of almost every wrong offset.
 */
function nextFrameAfter(buf: Buffer, offset: number, damagedEnd: number | null, kinds: ReadonlySet<number>): number | null {
  if (damagedEnd !== null && 'body' in frameAt(buf, damagedEnd)) return damagedEnd;
  let budget = RESYNC_BUDGET_BYTES;
  for (let p = offset + 1; p + FRAME_HEADER_BYTES + MIN_BODY_BYTES <= buf.length; p++) {
    const length = buf.readUInt32LE(p);
    const bodyStart = p + FRAME_HEADER_BYTES;
    if (length < MIN_BODY_BYTES || bodyStart + length > buf.length || !kinds.has(buf[bodyStart]!)) continue;
    budget -= length;
    if (budget < 0) return null;
    if (crc32c(buf, bodyStart, bodyStart + length) === buf.readUInt32LE(p + 4)) return p;
  }
  return null;
}
