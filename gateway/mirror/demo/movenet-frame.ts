import sharp from 'sharp';
import { MOVENET_INPUT_SIZE, type Movenet } from '../../../models/movenet/movenet.js';

/**
 * MoveNet on a whole frame the simplest way: pad it to a square (black, at the bottom and right),
 * shrink to 192 × 192 and map the keypoints back to 0..1 of the frame. No cropping or tracking:
 * if the model finds the figure like this, the gateway's tracked crop only makes it bigger.
 */
export async function movenetOnFrame(movenet: Movenet, jpeg: Buffer): Promise<{ x: number; y: number; score: number }[]> {
  const { width = 0, height = 0 } = await sharp(jpeg).metadata();
  const side = Math.max(width, height);
  const rgb = await sharp(jpeg)
    .resize(MOVENET_INPUT_SIZE, MOVENET_INPUT_SIZE, { fit: 'contain', position: 'left top', background: { r: 0, g: 0, b: 0 } })
    .removeAlpha()
    .raw()
    .toBuffer();
  const keypoints = await movenet.estimate(rgb);
  return keypoints.map((k) => ({ x: (k.x * side) / width, y: (k.y * side) / height, score: k.score }));
}
