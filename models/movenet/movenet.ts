import * as ort from 'onnxruntime-node';
import { MOVENET_IO } from './build.js';
import { type Keypoint, decodeKeypoints } from './decode.js';
import { ensureMovenetModel } from './locate.js';

export const MOVENET_INPUT_SIZE = 192;

export interface MovenetOptions {
  /** A verified model path; default: ensureMovenetModel() (converts once if needed). */
  readonly modelPath?: string;
  /** ORT intra-op threads; 1 leaves the box's other cores to the camera and the gateway. */
  readonly threads?: number;
}

export interface Movenet {
  /** `rgb`: 192×192 interleaved RGB, 0..255, row-major (e.g. sharp `.raw()` output). */
  estimate(rgb: Uint8Array | Int32Array): Promise<Keypoint[]>;
  close(): Promise<void>;
}

/** The app's entry point to pose estimation: 17 keypoints per 192×192 RGB frame. */
export async function createMovenet(options: MovenetOptions = {}): Promise<Movenet> {
  const session = await ort.InferenceSession.create(options.modelPath ?? ensureMovenetModel(), {
    intraOpNumThreads: options.threads ?? 1,
    interOpNumThreads: 1,
  });
  const { input, output } = MOVENET_IO;
  return {
    async estimate(rgb) {
      const expected = MOVENET_INPUT_SIZE * MOVENET_INPUT_SIZE * 3;
      if (rgb.length !== expected) throw new Error(`MoveNet needs ${expected} RGB values (192×192×3), got ${rgb.length}`);
      const pixels = rgb instanceof Int32Array ? rgb : Int32Array.from(rgb);
      const result = await session.run({ [input.name]: new ort.Tensor('int32', pixels, [...input.shape]) });
      const tensor = result[output.name];
      if (!tensor) throw new Error(`MoveNet model has no output "${output.name}"`);
      return decodeKeypoints(tensor.data as Float32Array);
    },
    close: () => session.release(),
  };
}
