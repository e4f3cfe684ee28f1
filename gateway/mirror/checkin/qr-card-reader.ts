import sharp from 'sharp';
import { findQrCodes } from '../../homework/read/qr-decoder.js';
import { parseCheckinCode, type CardHolder } from './checkin-code.js';

/** Wide enough for a card held at arm's length to keep modules of a few pixels; smaller is faster. */
const SCAN_WIDTH = 640;

/**
 * Looks for a check-in card in a camera frame. The frame is decoded here, to grey, on its own
 * (the pose model's decode is colour and cropped); it is called a few times a second at most,
 * and only while nobody is checked in.
 */
export async function findCheckinCard(jpeg: Buffer): Promise<CardHolder | null> {
  const { data, info } = await sharp(jpeg).resize({ width: SCAN_WIDTH, withoutEnlargement: true }).greyscale().raw().toBuffer({ resolveWithObject: true });
  for (const code of await findQrCodes(new Uint8Array(data.buffer, data.byteOffset, data.length), info.width, info.height)) {
    const holder = parseCheckinCode(code.text);
    if (holder) return holder;
  }
  return null;
}
