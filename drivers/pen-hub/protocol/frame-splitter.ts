import { ESCAPE, ESCAPE_XOR, FRAME_END, FRAME_START, MAX_PACKET_BYTES } from './commands.js';

/** What a splitter threw away, shared by every splitter of one hub so the totals survive a pen leaving. */
export interface FrameCounters {
  frames: number;
  garbageBytes: number;
  oversizeFrames: number;
  malformedFrames: number;
}

export function emptyCounters(): FrameCounters {
  return { frames: 0, garbageBytes: 0, oversizeFrames: 0, malformedFrames: 0 };
}

/** The frame is valid only during the call: the splitter reuses its buffer for the next one. */
export type FrameSink = (frame: Buffer, length: number) => void;

// Module-local copies: imported bindings are getters under some loaders (tsx, vitest), too slow per byte.
const START = FRAME_START;
const END = FRAME_END;
const ESC = ESCAPE;
const XOR = ESCAPE_XOR;

const HUNTING = 0;
const IN_FRAME = 1;
const ESCAPED = 2;
/** Inside a frame that grew past the limit: drop bytes until it ends or a new one starts. */
const OVERSIZE = 3;

/**
 * Protocol 2.0 framing, streaming: `C0 … C1`, `7D x` = `x ^ 20`. Bytes arrive in arbitrary
 * chunks; a frame is handed on un-escaped once its C1 arrives. Never throws and never holds more
 * than `maxBytes` (one fixed buffer, no allocation per byte or per frame).
 */
export class FrameSplitter {
  private readonly buf: Buffer;
  private len = 0;
  private state = HUNTING;

  constructor(
    private readonly counters: FrameCounters,
    private readonly onFrame: FrameSink,
    private readonly maxBytes = MAX_PACKET_BYTES,
  ) {
    this.buf = Buffer.allocUnsafe(maxBytes);
  }

  /** Bytes held for a frame that has not ended yet. */
  get buffered(): number {
    return this.len;
  }

  push(chunk: Buffer): void {
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (this.state === HUNTING) {
        // Garbage between frames: jump straight to the next start byte.
        const start = chunk.indexOf(START, i);
        const skipped = (start < 0 ? n : start) - i;
        this.counters.garbageBytes += skipped;
        if (start < 0) return;
        this.begin();
        i = start + 1;
        continue;
      }
      const b = chunk[i++]!;
      if (b === START) {
        // A start inside a frame: the previous frame was cut short; this one begins afresh.
        if (this.state !== OVERSIZE) this.counters.malformedFrames += 1;
        this.begin();
      } else if (b === END) {
        this.end();
      } else if (this.state === OVERSIZE) {
        continue;
      } else if (this.state === ESCAPED) {
        this.state = IN_FRAME;
        this.append(b ^ XOR);
      } else if (b === ESC) {
        this.state = ESCAPED;
      } else {
        this.append(b);
      }
    }
  }

  /** Forget a half-received frame (its pen went away); it counts as malformed. */
  reset(): void {
    if (this.state === IN_FRAME || this.state === ESCAPED) this.counters.malformedFrames += 1;
    this.state = HUNTING;
    this.len = 0;
  }

  private begin(): void {
    this.state = IN_FRAME;
    this.len = 0;
  }

  private append(b: number): void {
    if (this.len === this.maxBytes) {
      this.counters.oversizeFrames += 1;
      this.state = OVERSIZE;
      this.len = 0;
      return;
    }
    this.buf[this.len++] = b;
  }

  private end(): void {
    const { state, len } = this;
    this.state = HUNTING;
    this.len = 0;
    if (state === OVERSIZE) return;
    // An escape right before the end, or an empty frame, cannot be a packet.
    if (state === ESCAPED || len === 0) {
      this.counters.malformedFrames += 1;
      return;
    }
    this.counters.frames += 1;
    this.onFrame(this.buf, len);
  }
}
