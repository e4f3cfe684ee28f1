import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { seeded } from '../../gateway/util/random.js';
import { MjpegSplitter, type SplitFrame } from './mjpeg-splitter.js';

let big: Buffer;
let small: Buffer;
let progressive: Buffer;

async function picture(width: number, height: number, options: { progressive?: boolean } = {}): Promise<Buffer> {
  const noise = Buffer.alloc(width * height * 3);
  const rand = seeded(width);
  for (let i = 0; i < noise.length; i++) noise[i] = Math.floor(rand() * 256);
  return sharp(noise, { raw: { width, height, channels: 3 } }).jpeg({ quality: 80, ...options }).toBuffer();
}

/** The frame with an APP1 segment right after SOI that carries a whole JPEG (an EXIF thumbnail). */
function withThumbnail(frame: Buffer, thumbnail: Buffer): Buffer {
  const payload = Buffer.concat([Buffer.from('Exif\0\0II*\0', 'latin1'), thumbnail]);
  const header = Buffer.of(0xff, 0xe1, (payload.length + 2) >> 8, (payload.length + 2) & 0xff);
  return Buffer.concat([frame.subarray(0, 2), header, payload, frame.subarray(2)]);
}

/** Which of `known` each frame is (-1: none), so that mismatches print as numbers rather than bytes. */
function which(frames: SplitFrame[], known: Buffer[]): number[] {
  return frames.map((f) => known.findIndex((k) => k.equals(f.jpeg)));
}

function split(stream: Buffer, chunkSizes: () => number, maxFrameBytes = 1 << 20) {
  const frames: SplitFrame[] = [];
  const splitter = new MjpegSplitter(maxFrameBytes, (f) => frames.push(f));
  let maxBuffered = 0;
  for (let at = 0; at < stream.length; ) {
    const size = Math.max(1, chunkSizes());
    splitter.push(stream.subarray(at, at + size));
    at += size;
    maxBuffered = Math.max(maxBuffered, splitter.buffered());
  }
  return { frames, stats: splitter.stats(), maxBuffered };
}

beforeAll(async () => {
  big = await picture(320, 240);
  small = await picture(40, 30);
  progressive = await picture(64, 48, { progressive: true });
});

describe('MJPEG splitter', () => {
  it('cuts concatenated JPEGs into the same frames, whatever the chunk boundaries, with their size', () => {
    const stream = Buffer.concat([big, small, progressive, big]);
    const rand = seeded(1);
    for (const chunks of [() => 1, () => 7, () => 65_536, () => Math.floor(rand() * 5000)]) {
      const { frames, stats } = split(stream, chunks);
      expect(which(frames, [big, small, progressive])).toEqual([0, 1, 2, 0]);
      expect(frames.map((f) => [f.width, f.height])).toEqual([[320, 240], [40, 30], [64, 48], [320, 240]]);
      expect(stats).toEqual({ garbageBytes: 0, malformedFrames: 0, oversizeFrames: 0 });
    }
  });

  it('skips garbage between frames, counting it, including stray FF and FF D9 bytes', () => {
    const garbage = Buffer.from([0x00, 0xff, 0xff, 0xd9, 0x12, 0xff]);
    const { frames, stats } = split(Buffer.concat([garbage, small, garbage, small, garbage.subarray(0, 5)]), () => 3);
    expect(which(frames, [small])).toEqual([0, 0]);
    expect(stats.garbageBytes).toBe(2 * garbage.length + 5);
  });

  it('drops a truncated frame and resynchronises on the next SOI', () => {
    const cutInScan = big.subarray(0, big.length - 500);
    const cutAfterSoi = small.subarray(0, 2);
    const { frames, stats } = split(Buffer.concat([cutInScan, small, cutAfterSoi, big]), () => 1000);
    expect(which(frames, [small, big])).toEqual([0, 1]);
    expect(stats.malformedFrames).toBe(2);
  });

  it('does not cut a frame at the EOI of the thumbnail inside its EXIF segment', () => {
    const exif = withThumbnail(big, small);
    const { frames } = split(Buffer.concat([exif, exif]), () => 333);
    expect(which(frames, [exif])).toEqual([0, 0]);
    expect(frames[0]).toMatchObject({ width: 320, height: 240 });
  });

  it('drops frames over the size limit whole, holding at most the limit plus one chunk', async () => {
    const limit = small.length + 100;
    const stream = Buffer.concat([small, withThumbnail(big, small), small]);
    const { frames, stats, maxBuffered } = split(stream, () => 4096, limit);
    // The thumbnail inside the dropped frame is not mistaken for a frame of its own.
    expect(which(frames, [small])).toEqual([0, 0]);
    expect(stats).toMatchObject({ oversizeFrames: 1, malformedFrames: 0 });
    expect(maxBuffered).toBeLessThanOrEqual(limit + 4096);
  });

  it('survives random bytes and mutated, truncated frames with bounded memory', () => {
    const rand = seeded(7);
    const byte = () => Math.floor(rand() * 256);
    const pieces: Buffer[] = [];
    let intact = 0;
    for (let k = 0; k < 3000; k++) {
      const r = rand();
      const frame = Buffer.from([small, progressive, withThumbnail(small, progressive)][k % 3]!);
      if (r < 0.2) pieces.push(Buffer.from(Array.from({ length: 1 + (byte() << 2) }, byte)));
      else if (r < 0.35) pieces.push(frame.subarray(0, Math.floor(rand() * frame.length)));
      else if (r < 0.5) {
        frame[Math.floor(rand() * frame.length)] = byte();
        pieces.push(frame);
      } else {
        pieces.push(frame);
        intact += 1;
      }
    }
    const limit = 64 * 1024;
    const { frames, stats, maxBuffered } = split(Buffer.concat(pieces), () => 1 + Math.floor(rand() * 8192), limit);
    expect(maxBuffered).toBeLessThanOrEqual(limit + 8192);
    for (const f of frames) {
      expect([f.jpeg[0], f.jpeg[1], f.jpeg.at(-2), f.jpeg.at(-1)]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
    }
    // Garbage can swallow the start of the frame after it (a cut header's length reaches into it).
    expect(frames.length).toBeGreaterThan(intact * 0.8);
    expect(stats.garbageBytes).toBeGreaterThan(0);
    expect(stats.malformedFrames).toBeGreaterThan(0);
  });
});
