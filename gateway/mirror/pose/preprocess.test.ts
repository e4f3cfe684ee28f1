import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { centreCrop, cropToFrame, paddedFullCrop, type CropRegion } from './crop-tracker.js';
import { CropResampler, decodeJpeg, jpegSize, type DecodedFrame } from './preprocess.js';

function frame(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): DecodedFrame {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(pixel(x, y), (y * width + x) * 3);
  return { data, width, height, channels: 3 };
}

/** Centre of mass of the bright pixels in a 192×192 RGB crop, in crop-normalised (y, x). */
function brightCentre(rgb: Uint8Array, size: number): [number, number] {
  let sx = 0;
  let sy = 0;
  let n = 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const v = rgb[(y * size + x) * 3]!;
      sx += v * (x + 0.5);
      sy += v * (y + 0.5);
      n += v;
    }
  }
  return [sy / n / size, sx / n / size];
}

describe('jpegSize', () => {
  it('reads the frame header and rejects what is not a whole JPEG header', async () => {
    const jpeg = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#808080' } }).jpeg().toBuffer();
    expect(jpegSize(jpeg)).toEqual({ width: 640, height: 480 });
    const progressive = await sharp({ create: { width: 33, height: 17, channels: 3, background: '#123456' } }).jpeg({ progressive: true }).toBuffer();
    expect(jpegSize(progressive)).toEqual({ width: 33, height: 17 });
    expect(() => jpegSize(Buffer.from('GIF89a...'))).toThrow(/not a JPEG/);
    expect(() => jpegSize(jpeg.subarray(0, 30))).toThrow(/truncated/);
  });
});

describe('decodeJpeg', () => {
  it('decodes at full size for a camera-sized crop, scaled down for a crop far above the model input', async () => {
    const jpeg = await sharp({ create: { width: 1920, height: 1080, channels: 3, background: '#808080' } }).jpeg().toBuffer();
    const size = jpegSize(jpeg);
    expect((await decodeJpeg(jpeg, size, 700, 192)).width).toBe(1920);
    const scaled = await decodeJpeg(jpeg, size, 1920, 192);
    expect([scaled.width, scaled.height, scaled.channels]).toEqual([192, 108, 3]);
  });

  it('rejects a JPEG whose data stops early', async () => {
    const jpeg = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).jpeg().toBuffer();
    await expect(decodeJpeg(jpeg.subarray(0, jpeg.length >> 1), jpegSize(jpeg), 480, 192)).rejects.toThrow();
  });
});

describe('CropResampler', () => {
  it('copies a crop the size of the model input pixel for pixel', () => {
    const src = frame(192, 192, (x, y) => [x, y, (x + y) & 255]);
    const out = new CropResampler(192).resample(src, { xMin: 0, yMin: 0, width: 1, height: 1 });
    expect(Buffer.from(out).equals(src.data)).toBe(true);
  });

  it('pads with black outside the frame', () => {
    // A white 400×200 frame padded to 400×400: rows 0–47 and 144–191 of the crop are black.
    const out = new CropResampler(192).resample(frame(400, 200, () => [255, 255, 255]), paddedFullCrop({ width: 400, height: 200 }));
    const at = (x: number, y: number) => out[(y * 192 + x) * 3]!;
    expect([at(0, 0), at(100, 40), at(191, 191), at(50, 150)]).toEqual([0, 0, 0, 0]);
    expect([at(0, 52), at(100, 96), at(191, 139)]).toEqual([255, 255, 255]);
  });

  it('spreads a greyscale frame over all three channels', () => {
    const grey: DecodedFrame = { data: Buffer.alloc(10 * 10, 77), width: 10, height: 10, channels: 1 };
    const out = new CropResampler(4).resample(grey, { xMin: 0, yMin: 0, width: 1, height: 1 });
    expect([...out]).toEqual(new Array(48).fill(77));
  });

  it('puts a point where cropToFrame maps it back from, for crops inside and across the frame edge', () => {
    // A bright 6×6 spot centred at (500, 100) in a 640×480 frame.
    const src = frame(640, 480, (x, y) => (Math.abs(x + 0.5 - 500) < 3 && Math.abs(y + 0.5 - 100) < 3 ? [255, 255, 255] : [0, 0, 0]));
    const crops: CropRegion[] = [
      centreCrop(src),
      paddedFullCrop(src),
      // A tracked crop hanging off the top right corner.
      { xMin: 380 / 640, yMin: -60 / 480, width: 300 / 640, height: 300 / 480 },
    ];
    const resampler = new CropResampler(192);
    for (const crop of crops) {
      const [y, x] = brightCentre(resampler.resample(src, crop), 192);
      const [k] = cropToFrame(new Float32Array([y, x, 1]), crop);
      expect(k!.x * 640).toBeCloseTo(500, 0);
      expect(k!.y * 480).toBeCloseTo(100, 0);
    }
  });
});
