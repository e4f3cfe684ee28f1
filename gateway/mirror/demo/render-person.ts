import sharp from 'sharp';
import { KEYPOINT_NAMES } from '../exercises/keypoints.js';
import { corridorPixels } from './corridor.js';
import { personSvg, type Joints } from './figure.js';
import { DEFAULT_STYLE, type PersonStyle } from './style.js';

export interface RenderOptions {
  width: number;
  height: number;
  /** Raw RGB pixels (width × height × 3) behind the person; default: a school corridor. */
  background?: Buffer;
  style?: Partial<PersonStyle>;
  /** JPEG quality; default 85, like a webcam's MJPEG. */
  quality?: number;
}

/**
 * A JPEG of a person with their joints on `keypoints` (17, COCO order, x and y normalised 0..1 to
 * the frame, y down). Eyes, ears and nose are drawn on their keypoints too, so draw a sensible
 * face (e.g. from the exercise synthesiser's skeleton).
 */
export async function renderPerson(keypoints: readonly { x: number; y: number }[], options: RenderOptions): Promise<Buffer> {
  const { width, height } = options;
  if (keypoints.length !== KEYPOINT_NAMES.length) throw new Error(`renderPerson needs ${KEYPOINT_NAMES.length} keypoints, got ${keypoints.length}`);
  const joints = Object.fromEntries(KEYPOINT_NAMES.map((name, i) => [name, { x: keypoints[i]!.x * width, y: keypoints[i]!.y * height }])) as Joints;
  const background = options.background ?? (await corridorPixels(width, height));
  if (background.length !== width * height * 3) throw new Error(`background must be ${width}×${height} raw RGB (${width * height * 3} bytes), got ${background.length}`);
  const svg = personSvg(joints, width, height, { ...DEFAULT_STYLE, ...options.style });
  return sharp(background, { raw: { width, height, channels: 3 } })
    .composite([{ input: Buffer.from(svg) }])
    .jpeg({ quality: options.quality ?? 85 })
    .toBuffer();
}
