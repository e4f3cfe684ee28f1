import sharp from 'sharp';
import type { CropRegion, FrameSize } from './crop-tracker.js';

/**
 * Camera JPEG → the model's 192×192 RGB crop: sharp decodes the JPEG once to raw pixels, then
 * the crop (which may reach past the frame: black padding) is resampled here in one pass into a
 * buffer reused from frame to frame. Measured at 640×480 on this project's 2-core x86 box:
 * decode + resample ≈ 2–4 ms, faster than a sharp extract/resize pipeline (≈ 4–5 ms) and than
 * letting sharp shrink the frame on load, which only pays for crops ≥ 4× the model input
 * (a 1080p camera), so only then is it used.
 */
export interface DecodedFrame {
  /** Packed pixels, `channels` bytes each (3, or 1 for greyscale JPEGs). */
  data: Buffer;
  width: number;
  height: number;
  channels: number;
}

/** Width and height from the JPEG's frame header, without decoding; throws for a non-JPEG. */
export function jpegSize(jpeg: Uint8Array): FrameSize {
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG (no SOI marker)');
  let i = 2;
  while (i + 4 <= jpeg.length) {
    if (jpeg[i] !== 0xff) throw new Error(`corrupt JPEG: no marker at byte ${i}`);
    const marker = jpeg[i + 1]!;
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    const length = (jpeg[i + 2]! << 8) | jpeg[i + 3]!;
    // SOF0..SOF15 carry the size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (i + 9 > jpeg.length) break;
      const height = (jpeg[i + 5]! << 8) | jpeg[i + 6]!;
      const width = (jpeg[i + 7]! << 8) | jpeg[i + 8]!;
      if (!width || !height) throw new Error('corrupt JPEG: zero-sized frame');
      return { width, height };
    }
    i += 2 + length;
  }
  throw new Error('corrupt JPEG: no frame header (truncated?)');
}

/** From this ratio of crop to model input up, sharp scales while decoding (libjpeg's DCT scaling). */
const SCALED_DECODE_RATIO = 4;

/**
 * Decodes to packed pixels; rejects corrupt or truncated data. A crop much larger than the
 * model input is decoded at about the input's scale: cheaper, and anti-aliased.
 */
export async function decodeJpeg(jpeg: Buffer, size: FrameSize, cropPx: number, inputSize: number): Promise<DecodedFrame> {
  let image = sharp(jpeg, { failOn: 'truncated' });
  const scale = inputSize / cropPx;
  if (scale * SCALED_DECODE_RATIO <= 1) {
    image = image.resize(Math.max(1, Math.round(size.width * scale)), Math.max(1, Math.round(size.height * scale)), { fit: 'fill', kernel: 'linear' });
  }
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/**
 * Per output column (or row): the two source taps, clamped into the frame, and their weights;
 * a tap outside the frame weighs 0, so the padding is black without a branch per pixel.
 */
interface Taps {
  lo: Int32Array;
  hi: Int32Array;
  wLo: Float32Array;
  wHi: Float32Array;
}

function fillTaps(start: number, span: number, sourceSize: number, t: Taps): void {
  const n = t.lo.length;
  const inside = (i: number) => i >= 0 && i < sourceSize;
  const clamp = (i: number) => Math.min(Math.max(i, 0), sourceSize - 1);
  for (let j = 0; j < n; j++) {
    // Pixel centres: output j covers [start + j·span/n, start + (j+1)·span/n) in source pixels.
    const s = start + ((j + 0.5) * span) / n - 0.5;
    const f = Math.floor(s);
    t.lo[j] = clamp(f);
    t.hi[j] = clamp(f + 1);
    t.wLo[j] = inside(f) ? 1 - (s - f) : 0;
    t.wHi[j] = inside(f + 1) ? s - f : 0;
  }
}

/** Bilinear crop + resize into a reused RGB buffer; outside the frame is black, as TF.js pads. */
export class CropResampler {
  readonly output: Uint8Array;
  private readonly cols: Taps;
  private readonly rows: Taps;

  constructor(readonly size: number) {
    this.output = new Uint8Array(size * size * 3);
    const make = (): Taps => ({ lo: new Int32Array(size), hi: new Int32Array(size), wLo: new Float32Array(size), wHi: new Float32Array(size) });
    this.cols = make();
    this.rows = make();
  }

  resample(frame: DecodedFrame, crop: CropRegion): Uint8Array {
    const { data, width, height, channels } = frame;
    const { cols, rows, output, size } = this;
    fillTaps(crop.xMin * width, crop.width * width, width, cols);
    fillTaps(crop.yMin * height, crop.height * height, height, rows);
    // Greyscale JPEGs: the same byte for R, G and B.
    const g = channels >= 3 ? 1 : 0;
    const b = channels >= 3 ? 2 : 0;
    const stride = width * channels;
    let o = 0;
    for (let r = 0; r < size; r++) {
      const row0 = rows.lo[r]! * stride;
      const row1 = rows.hi[r]! * stride;
      const wy0 = rows.wLo[r]!;
      const wy1 = rows.wHi[r]!;
      for (let c = 0; c < size; c++) {
        const p00 = row0 + cols.lo[c]! * channels;
        const p01 = row0 + cols.hi[c]! * channels;
        const p10 = row1 + cols.lo[c]! * channels;
        const p11 = row1 + cols.hi[c]! * channels;
        const wx0 = cols.wLo[c]!;
        const wx1 = cols.wHi[c]!;
        const w00 = wy0 * wx0;
        const w01 = wy0 * wx1;
        const w10 = wy1 * wx0;
        const w11 = wy1 * wx1;
        // +0.5 rounds; the sum never exceeds 255.5, so the Uint8Array's truncation cannot wrap.
        output[o++] = w00 * data[p00]! + w01 * data[p01]! + w10 * data[p10]! + w11 * data[p11]! + 0.5;
        output[o++] = w00 * data[p00 + g]! + w01 * data[p01 + g]! + w10 * data[p10 + g]! + w11 * data[p11 + g]! + 0.5;
        output[o++] = w00 * data[p00 + b]! + w01 * data[p01 + b]! + w10 * data[p10 + b]! + w11 * data[p11 + b]! + 0.5;
      }
    }
    return output;
  }
}
