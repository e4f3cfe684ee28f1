import type { FrameCounters } from '../protocol/frame-splitter.js';
import { crc16 } from './crc16.js';
import { CRC_BYTES, HEADER_BYTES, MAX_ENVELOPE_BYTES, MAX_PAYLOAD_BYTES, SYNC_1, SYNC_2 } from './envelope.js';

// Module-local copies: imported bindings are getters under some loaders (tsx, vitest), too slow here.
const SYNC_A = SYNC_1;
const SYNC_B = SYNC_2;
const HEADER = HEADER_BYTES;
const CRC = CRC_BYTES;
const MAX_PAYLOAD = MAX_PAYLOAD_BYTES;

/** `payload` is a view into the splitter's buffer, valid only during the call. */
export type EnvelopeSink = (kind: number, slot: number, payload: Buffer, version: number) => void;

/**
 * Streaming envelope parser: finds `A5 5A`, waits for the whole envelope, checks length and CRC,
 * and hands on the good ones. After garbage or a bad CRC it searches again from the byte after the
 * false sync, so one corrupt envelope costs only itself. Holds at most two envelopes' worth.
 */
export class EnvelopeSplitter {
  private readonly buf = Buffer.allocUnsafe(2 * MAX_ENVELOPE_BYTES);
  private len = 0;

  constructor(
    private readonly counters: FrameCounters,
    private readonly onEnvelope: EnvelopeSink,
  ) {}

  get buffered(): number {
    return this.len;
  }

  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      const copied = chunk.copy(this.buf, this.len, at);
      this.len += copied;
      at += copied;
      const used = this.parse();
      // Keep only the unfinished envelope (< MAX_ENVELOPE_BYTES), so there is always room for more.
      this.buf.copy(this.buf, 0, used, this.len);
      this.len -= used;
    }
  }

  reset(): void {
    this.len = 0;
  }

  /** Consumes every complete envelope and all garbage; returns how many bytes it used. */
  private parse(): number {
    const { buf, len, counters } = this;
    let pos = 0;
    while (pos < len) {
      const sync = buf.indexOf(SYNC_A, pos);
      if (sync < 0 || sync >= len) {
        counters.garbageBytes += len - pos;
        return len;
      }
      counters.garbageBytes += sync - pos;
      pos = sync;
      if (len - pos < 2) return pos;
      if (buf[pos + 1] !== SYNC_B) {
        counters.garbageBytes += 1;
        pos += 1;
        continue;
      }
      if (len - pos < HEADER) return pos;
      const payloadBytes = buf.readUInt16LE(pos + 5);
      if (payloadBytes > MAX_PAYLOAD) {
        // A real envelope is never this long: a false sync or a corrupt header. Search on.
        counters.oversizeFrames += 1;
        counters.garbageBytes += 1;
        pos += 1;
        continue;
      }
      const end = pos + HEADER + payloadBytes;
      if (len < end + CRC) return pos;
      if (crc16(buf, pos, end) !== buf.readUInt16LE(end)) {
        counters.malformedFrames += 1;
        counters.garbageBytes += 1;
        pos += 1;
        continue;
      }
      this.onEnvelope(buf[pos + 3]!, buf[pos + 4]!, buf.subarray(pos + HEADER, end), buf[pos + 2]!);
      pos = end + CRC;
    }
    return pos;
  }
}
