import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import type { Point } from '../layout/geometry.js';

export interface FoundCode {
  text: string;
  /** Corners in image pixels, as printed: top-left, top-right, bottom-right, bottom-left. */
  corners: [Point, Point, Point, Point];
}

let ready: Promise<unknown> | null = null;

/**
 * zxing-wasm fetches its .wasm from a CDN unless it is handed the binary: the box is offline,
 * so the binary shipped inside the npm package is loaded from disk, once.
 */
export function prepareZxing(): Promise<unknown> {
  ready ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasmPath = join(dirname(require.resolve('zxing-wasm/reader')), '..', '..', 'reader', 'zxing_reader.wasm');
    const bytes = await readFile(wasmPath);
    const wasmBinary = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    return prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true });
  })();
  return ready;
}

/** QR codes in a greyscale image (one byte per pixel). */
export async function findQrCodes(grey: Uint8Array, width: number, height: number): Promise<FoundCode[]> {
  await prepareZxing();
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0, j = 0; i < grey.length; i++, j += 4) {
    const v = grey[i]!;
    rgba[j] = v;
    rgba[j + 1] = v;
    rgba[j + 2] = v;
    rgba[j + 3] = 255;
  }
  const results = await readBarcodes({ data: rgba, width, height, colorSpace: 'srgb' } as unknown as Parameters<typeof readBarcodes>[0], { formats: ['QRCode'], tryHarder: true, maxNumberOfSymbols: 2 });
  return results
    .filter((r) => r.isValid)
    .map((r) => ({ text: r.text, corners: [r.position.topLeft, r.position.topRight, r.position.bottomRight, r.position.bottomLeft] }));
}
