/**
 * Cuts a byte stream of concatenated JPEGs (what `ffmpeg -f mjpeg` and `rpicam-vid --codec mjpeg`
 * write) into whole frames, across arbitrary chunk boundaries.
 *
 * Searching for the first EOI (FF D9) after an SOI is not enough: an EXIF APP1 segment may carry a
 * whole thumbnail JPEG, whose EOI would cut the frame short. So the header is walked segment by
 * segment using each segment's length, and only after SOS is the entropy-coded data scanned,
 * where an FF byte is always either stuffed (FF 00), a restart marker or a real marker.
 * Memory is bounded: a frame longer than `maxFrameBytes` is still walked to its end (so a
 * thumbnail inside it is not mistaken for a frame) but its bytes are let go and it is not handed on.
 */

export interface SplitFrame {
  jpeg: Buffer;
  width?: number;
  height?: number;
}

export interface SplitterStats {
  garbageBytes: number;
  malformedFrames: number;
  oversizeFrames: number;
}

type State = 'seek' | 'marker' | 'code' | 'len1' | 'len2' | 'segment' | 'scan' | 'scanFF';

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const FF_ONLY = Buffer.of(0xff);

/** Start-of-frame markers carry the picture size; C4 (DHT), C8 (JPG) and CC (DAC) do not. */
function isSof(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** Markers that stand alone, without a length: TEM and RST0–7 (SOI/EOI are handled apart). */
function isStandalone(marker: number): boolean {
  return marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);
}

export class MjpegSplitter {
  #state: State = 'seek';
  /** In 'seek': the previous chunk ended with FF, which may begin an SOI. */
  #pendingFF = false;
  #parts: Buffer[] = [];
  #partBytes = 0;
  /** The frame in progress passed the size limit: walk it to its end, keeping nothing. */
  #discarding = false;
  #marker = 0;
  #segmentLeft = 0;
  #segmentPos = 0;
  #sof = Buffer.alloc(5);
  #width: number | undefined;
  #height: number | undefined;
  #stats: SplitterStats = { garbageBytes: 0, malformedFrames: 0, oversizeFrames: 0 };

  constructor(
    private readonly maxFrameBytes: number,
    private readonly onFrame: (frame: SplitFrame) => void,
  ) {}

  stats(): SplitterStats {
    return { ...this.#stats };
  }

  /** Bytes held for the frame in progress. */
  buffered(): number {
    return this.#partBytes;
  }

  /** Forget a frame in progress: the stream it came from has ended. */
  reset(): void {
    if (this.#state !== 'seek' && !this.#discarding) this.#stats.malformedFrames += 1;
    this.#toSeek();
    this.#pendingFF = false;
  }

  push(chunk: Buffer): void {
    const n = chunk.length;
    // Where the frame in progress starts within this chunk; -1 while no frame is in progress.
    let start = this.#state === 'seek' ? -1 : 0;
    let i = 0;
    while (i < n) {
      switch (this.#state) {
        case 'seek': {
          if (this.#pendingFF) {
            this.#pendingFF = false;
            if (chunk[0] === SOI) {
              this.#beginFrame([FF_ONLY]);
              start = 0;
              i = 1;
              break;
            }
            this.#stats.garbageBytes += 1;
          }
          const ff = chunk.indexOf(0xff, i);
          if (ff === -1 || ff === n - 1) {
            this.#stats.garbageBytes += (ff === -1 ? n : ff) - i;
            this.#pendingFF = ff === n - 1;
            i = n;
          } else if (chunk[ff + 1] === SOI) {
            this.#stats.garbageBytes += ff - i;
            this.#beginFrame([]);
            start = ff;
            i = ff + 2;
          } else {
            this.#stats.garbageBytes += ff + 1 - i;
            i = ff + 1;
          }
          break;
        }
        case 'marker':
          if (chunk[i] === 0xff) {
            this.#state = 'code';
            i += 1;
          } else {
            this.#malformed();
            start = -1;
          }
          break;
        case 'code': {
          const code = chunk[i]!;
          i += 1;
          if (code === 0xff) break; // fill byte before a marker
          if (code === SOI) {
            start = this.#restartAtSoi(i - 1);
          } else if (code === EOI || code === 0x00) {
            // A frame without image data, or a stuffed byte where a marker must be.
            this.#malformed();
            start = -1;
          } else if (isStandalone(code)) {
            this.#state = 'marker';
          } else {
            this.#marker = code;
            this.#state = 'len1';
          }
          break;
        }
        case 'len1':
          this.#segmentLeft = chunk[i]! << 8;
          this.#state = 'len2';
          i += 1;
          break;
        case 'len2':
          this.#segmentLeft = (this.#segmentLeft | chunk[i]!) - 2;
          i += 1;
          this.#segmentPos = 0;
          if (this.#segmentLeft < 0) {
            this.#malformed();
            start = -1;
          } else this.#state = 'segment';
          if (this.#segmentLeft === 0) this.#endSegment();
          break;
        case 'segment': {
          if (isSof(this.#marker) && this.#segmentPos < this.#sof.length) {
            this.#sof[this.#segmentPos] = chunk[i]!;
            i += 1;
            this.#segmentPos += 1;
            this.#segmentLeft -= 1;
          } else {
            const skip = Math.min(this.#segmentLeft, n - i);
            i += skip;
            this.#segmentPos += skip;
            this.#segmentLeft -= skip;
          }
          if (this.#segmentLeft === 0) this.#endSegment();
          break;
        }
        case 'scan': {
          const ff = chunk.indexOf(0xff, i);
          if (ff === -1) i = n;
          else {
            i = ff + 1;
            this.#state = 'scanFF';
          }
          break;
        }
        case 'scanFF': {
          const code = chunk[i]!;
          i += 1;
          if (code === 0x00 || isStandalone(code)) this.#state = 'scan';
          else if (code === EOI) {
            this.#finishFrame(chunk.subarray(start, i));
            start = -1;
          } else if (code === SOI) {
            start = this.#restartAtSoi(i - 1);
          } else if (code !== 0xff) {
            // A marker between scans (progressive JPEG: DHT, SOS …): back to walking segments.
            this.#marker = code;
            this.#state = 'len1';
          }
          break;
        }
      }
    }
    if (start >= 0 && this.#state !== 'seek' && !this.#discarding) {
      this.#parts.push(chunk.subarray(start));
      this.#partBytes += n - start;
      if (this.#partBytes > this.maxFrameBytes) {
        this.#stats.oversizeFrames += 1;
        this.#discarding = true;
        this.#parts = [];
        this.#partBytes = 0;
      }
    }
  }

  #beginFrame(parts: Buffer[]): void {
    this.#parts = parts;
    this.#partBytes = parts.reduce((sum, part) => sum + part.length, 0);
    this.#discarding = false;
    this.#width = undefined;
    this.#height = undefined;
    this.#state = 'marker';
  }

  /** A new SOI inside a frame: the frame before it was cut short. Returns the new frame's start. */
  #restartAtSoi(soiAt: number): number {
    if (!this.#discarding) this.#stats.malformedFrames += 1;
    // The FF before this SOI is in this chunk, or it ended the previous one.
    if (soiAt >= 1) {
      this.#beginFrame([]);
      return soiAt - 1;
    }
    this.#beginFrame([FF_ONLY]);
    return 0;
  }

  #endSegment(): void {
    if (isSof(this.#marker) && this.#segmentPos >= this.#sof.length) {
      this.#height = this.#sof.readUInt16BE(1);
      this.#width = this.#sof.readUInt16BE(3);
    }
    this.#state = this.#marker === SOS ? 'scan' : 'marker';
  }

  #finishFrame(tail: Buffer): void {
    const size = this.#partBytes + tail.length;
    const discarded = this.#discarding;
    const parts = this.#parts;
    const [width, height] = [this.#width, this.#height];
    this.#toSeek();
    if (discarded) return;
    if (size > this.maxFrameBytes) {
      this.#stats.oversizeFrames += 1;
      return;
    }
    const frame: SplitFrame = { jpeg: Buffer.concat([...parts, tail], size) };
    if (width !== undefined && height !== undefined) {
      frame.width = width;
      frame.height = height;
    }
    this.onFrame(frame);
  }

  #malformed(): void {
    if (!this.#discarding) this.#stats.malformedFrames += 1;
    this.#toSeek();
  }

  #toSeek(): void {
    this.#state = 'seek';
    this.#parts = [];
    this.#partBytes = 0;
    this.#discarding = false;
  }
}
