import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';

/** Photos shipped with @vladmandic/human, used as real-world test inputs. */
export function humanAsset(file: string): string {
  return join(dirname(createRequire(import.meta.url).resolve('@vladmandic/human')), '..', 'assets', file);
}

export interface Region {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** Crops `region`, pads it to a square with black (keeping the aspect ratio) and scales to 192×192 RGB. */
export async function squareInput(file: string, region: Region): Promise<Uint8Array> {
  const { data } = await sharp(file)
    .extract(region)
    .resize(192, 192, { fit: 'contain', background: { r: 0, g: 0, b: 0 } })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return new Uint8Array(data);
}

/** A deterministic synthetic frame: gradients, a checkerboard and seeded noise. */
export function structuredInput(seed: number): Uint8Array {
  const out = new Uint8Array(192 * 192 * 3);
  let state = seed >>> 0;
  for (let y = 0; y < 192; y++) {
    for (let x = 0; x < 192; x++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      const checker = ((x >> 4) + (y >> 4)) % 2 === 0 ? 60 : 0;
      const i = (y * 192 + x) * 3;
      out[i] = (x + checker + (state & 31)) & 255;
      out[i + 1] = (y + checker + ((state >> 5) & 31)) & 255;
      out[i + 2] = ((x ^ y) + ((state >> 10) & 63)) & 255;
    }
  }
  return out;
}
