import sharp from 'sharp';
import { readBarcodes } from 'zxing-wasm/reader';
import { prepareZxing } from '../../read/qr-decoder.js';

/** Rasterises an SVG at its own pixel size (greyscale, optionally turned) and returns the text of every QR code zxing finds. */
export async function qrTextsInSvg(svg: string, rotate = 0): Promise<string[]> {
  await prepareZxing();
  const png = await sharp(Buffer.from(svg)).flatten({ background: '#fff' }).rotate(rotate, { background: '#fff' }).greyscale().png().toBuffer();
  const results = await readBarcodes(new Uint8Array(png), { formats: ['QRCode'] });
  return results.filter((r) => r.isValid).map((r) => r.text);
}
