import type { Priority } from './types.js';

/**
 * Record bodies (what a frame's CRC covers). Little-endian binary so recovery can rebuild the
 * index and the sequence counters from a few fixed-offset fields without parsing the payload:
 *
 *   message (kind 1): u8 kind | u8 priority | u8 flags (bit0 retain) | u16 streamLen
 *                     | u64 lsn | u64 seq | f64 enqueuedAt (ms since epoch) | stream (UTF-8) | payload
 *   snapshot (kind 2): u8 kind | u32 count | count × (u16 streamLen | stream (UTF-8) | u64 seq)
 *
 * The payload is the serialised Envelope exactly as published; seq is repeated in the header so
 * recovery need not parse JSON.
 */

export const KIND_MESSAGE = 1;
export const KIND_SNAPSHOT = 2;
/** Bytes a message body needs besides the stream name and the payload. */
export const MESSAGE_HEADER_BYTES = 29;

const PRIORITIES: readonly Priority[] = ['result', 'event', 'telemetry'];
const MAX_STREAM_BYTES = 0xffff;

export interface MessageHeader {
  lsn: number;
  seq: number;
  stream: string;
  priority: Priority;
  retain: boolean;
  enqueuedAt: number;
}

export interface DecodedMessage extends MessageHeader {
  kind: typeof KIND_MESSAGE;
  payload: Buffer;
}

export interface DecodedSnapshot {
  kind: typeof KIND_SNAPSHOT;
  /** Last sequence number handed out per stream when the snapshot was written. */
  seqs: Map<string, number>;
}

export class RecordFormatError extends Error {
  override name = 'RecordFormatError';
}

export function encodeMessage(h: MessageHeader, payload: Buffer): Buffer {
  const stream = Buffer.from(h.stream, 'utf8');
  if (stream.length > MAX_STREAM_BYTES) throw new RangeError(`stream name longer than ${MAX_STREAM_BYTES} bytes`);
  const body = Buffer.allocUnsafe(MESSAGE_HEADER_BYTES + stream.length + payload.length);
  body.writeUInt8(KIND_MESSAGE, 0);
  body.writeUInt8(PRIORITIES.indexOf(h.priority), 1);
  body.writeUInt8(h.retain ? 1 : 0, 2);
  body.writeUInt16LE(stream.length, 3);
  writeU64(body, h.lsn, 5);
  writeU64(body, h.seq, 13);
  body.writeDoubleLE(h.enqueuedAt, 21);
  stream.copy(body, MESSAGE_HEADER_BYTES);
  payload.copy(body, MESSAGE_HEADER_BYTES + stream.length);
  return body;
}

export function encodeSnapshot(seqs: ReadonlyMap<string, number>): Buffer {
  const entries = [...seqs].map(([stream, seq]) => [Buffer.from(stream, 'utf8'), seq] as const);
  const size = 5 + entries.reduce((n, [s]) => n + 2 + s.length + 8, 0);
  const body = Buffer.allocUnsafe(size);
  body.writeUInt8(KIND_SNAPSHOT, 0);
  body.writeUInt32LE(entries.length, 1);
  let o = 5;
  for (const [stream, seq] of entries) {
    body.writeUInt16LE(stream.length, o);
    o += 2 + stream.copy(body, o + 2);
    writeU64(body, seq, o);
    o += 8;
  }
  return body;
}

/** Decodes a body whose CRC already matched; throws RecordFormatError on an impossible layout. */
export function decodeBody(body: Buffer): DecodedMessage | DecodedSnapshot {
  const kind = body.length > 0 ? body[0] : undefined;
  if (kind === KIND_MESSAGE) return decodeMessage(body);
  if (kind === KIND_SNAPSHOT) return decodeSnapshot(body);
  throw new RecordFormatError(`unknown record kind ${kind ?? '(empty body)'}`);
}

function decodeMessage(body: Buffer): DecodedMessage {
  if (body.length < MESSAGE_HEADER_BYTES) throw new RecordFormatError('message body shorter than its header');
  const priority = PRIORITIES[body.readUInt8(1)];
  if (priority === undefined) throw new RecordFormatError(`unknown priority ${body.readUInt8(1)}`);
  const streamEnd = MESSAGE_HEADER_BYTES + body.readUInt16LE(3);
  if (streamEnd > body.length) throw new RecordFormatError('stream name runs past the body');
  return {
    kind: KIND_MESSAGE,
    priority,
    retain: (body.readUInt8(2) & 1) === 1,
    lsn: readU64(body, 5),
    seq: readU64(body, 13),
    enqueuedAt: body.readDoubleLE(21),
    stream: body.toString('utf8', MESSAGE_HEADER_BYTES, streamEnd),
    payload: body.subarray(streamEnd),
  };
}

function decodeSnapshot(body: Buffer): DecodedSnapshot {
  const seqs = new Map<string, number>();
  try {
    const count = body.readUInt32LE(1);
    let o = 5;
    for (let i = 0; i < count; i++) {
      const streamEnd = o + 2 + body.readUInt16LE(o);
      if (streamEnd + 8 > body.length) throw new RangeError('entry runs past the body');
      seqs.set(body.toString('utf8', o + 2, streamEnd), readU64(body, streamEnd));
      o = streamEnd + 8;
    }
  } catch (err) {
    throw new RecordFormatError(`malformed sequence snapshot: ${(err as Error).message}`);
  }
  return { kind: KIND_SNAPSHOT, seqs };
}

// LSNs and sequence numbers stay far below 2^53, so two u32 halves avoid BigInt on the hot path.
function writeU64(buf: Buffer, value: number, offset: number): void {
  buf.writeUInt32LE(value % 0x1_0000_0000, offset);
  buf.writeUInt32LE(Math.floor(value / 0x1_0000_0000), offset + 4);
}

function readU64(buf: Buffer, offset: number): number {
  return buf.readUInt32LE(offset) + buf.readUInt32LE(offset + 4) * 0x1_0000_0000;
}
