import * as ort from 'onnxruntime-node';
import { MOVENET_IO } from './build.js';
import { KEYPOINT_NAMES, type Keypoint, decodeKeypoints } from './decode.js';
import { ensureMovenetModel } from './locate.js';

export const MOVENET_INPUT_SIZE = MOVENET_IO.input.shape[1];

export interface MovenetOptions {
  /** A verified model path; default: ensureMovenetModel() (converts once if needed). */
  readonly modelPath?: string;
  /** ORT intra-op threads; 1 leaves the box's other cores to the camera and the gateway. */
  readonly threads?: number;
}

export interface Movenet {
  /** Side of the square input: 192. */
  readonly inputSize: number;
  /**
   * `rgb`: 192×192 interleaved RGB, 0..255, row-major (e.g. sharp `.raw()` output). Returns the
   * raw 17 × (y, x, score); the array is reused by the next call, so a frame loop allocates nothing.
   */
  infer(rgb: Uint8Array | Int32Array): Promise<Float32Array>;
  /** The same, as named keypoints (a fresh array). */
  estimate(rgb: Uint8Array | Int32Array): Promise<Keypoint[]>;
  release(): Promise<void>;
}

const PIXELS = MOVENET_INPUT_SIZE * MOVENET_INPUT_SIZE * 3;

/**
 * MoveNet on ONNX Runtime, set up for a camera loop: all graph optimisations, sequential
 * execution, and one input tensor allocated here and refilled in place every frame.
 */
export async function createMovenet(options: MovenetOptions = {}): Promise<Movenet> {
  const modelPath = options.modelPath ?? ensureMovenetModel();
  const session = await ort.InferenceSession.create(modelPath, {
    intraOpNumThreads: options.threads ?? 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
  });
  const { input, output } = MOVENET_IO;
  if (!session.inputNames.includes(input.name) || !session.outputNames.includes(output.name)) {
    await session.release();
    throw new Error(`${modelPath} is not our MoveNet model (inputs ${session.inputNames.join(', ')}; outputs ${session.outputNames.join(', ')}): run npm run models:prepare`);
  }
  const pixels = new Int32Array(PIXELS);
  const tensor = new ort.Tensor('int32', pixels, [...input.shape]);
  const keypoints = new Float32Array(KEYPOINT_NAMES.length * 3);
  const infer = async (rgb: Uint8Array | Int32Array): Promise<Float32Array> => {
    if (rgb.length !== PIXELS) throw new Error(`MoveNet needs ${PIXELS} RGB values (192×192×3), got ${rgb.length}`);
    pixels.set(rgb);
    const result = (await session.run({ [input.name]: tensor }))[output.name];
    if (!result) throw new Error(`MoveNet model has no output "${output.name}"`);
    keypoints.set(result.data as Float32Array);
    return keypoints;
  };
  return {
    inputSize: MOVENET_INPUT_SIZE,
    infer,
    estimate: async (rgb) => decodeKeypoints(await infer(rgb)),
    release: () => session.release(),
  };
}
