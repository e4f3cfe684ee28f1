import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { KEYPOINT_NAMES } from '../exercises/index.js';

/**
 * The pose model as the estimator sees it: a square RGB crop in, 17 × (y, x, score) out,
 * normalised to the crop. Tests substitute fakes; production uses MoveNet through ONNX Runtime.
 */
export interface PoseModel {
  /** Side of the square input (192 for MoveNet Lightning). */
  readonly inputSize: number;
  /** `rgb` is inputSize² × 3 bytes, row-major, RGB. The result is reused by the next call. */
  infer(rgb: Uint8Array): Promise<Float32Array>;
  release(): Promise<void>;
}

const KEYPOINT_VALUES = KEYPOINT_NAMES.length * 3;

/**
 * MoveNet in ONNX Runtime, set up for a frame loop: one thread, all graph optimisations, and
 * one input tensor allocated at load and refilled in place every frame.
 * (models/movenet's createMovenet() is the simple one-off API; this one is tuned for 30 fps.)
 */
export class OnnxPoseModel implements PoseModel {
  private readonly keypoints = new Float32Array(KEYPOINT_VALUES);

  private constructor(
    private readonly session: InferenceSession,
    readonly inputSize: number,
    private readonly input: Tensor,
    private readonly inputData: Int32Array | Float32Array,
    private readonly outputName: string,
  ) {}

  /** `threads`: 1 is the benchmark's budget; a box with idle cores may give the model more. */
  static async load(modelPath: string, threads = 1): Promise<OnnxPoseModel> {
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(modelPath, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
    });
    const input = session.inputMetadata[0];
    // MoveNet's graph takes int32 (normalisation is inside); a float32 export works the same way.
    if (!input?.isTensor || (input.type !== 'int32' && input.type !== 'float32')) {
      throw new Error(`${modelPath}: expected one int32 or float32 input tensor, found ${input?.isTensor ? input.type : 'none'}`);
    }
    const [n, h, w, c] = input.shape;
    if (input.shape.length !== 4 || (n !== 1 && typeof n === 'number') || typeof h !== 'number' || h !== w || c !== 3) {
      throw new Error(`${modelPath}: input shape [${input.shape.join(', ')}], expected [1, N, N, 3]`);
    }
    const output = session.outputMetadata.find((o) => o.isTensor && o.shape.length === 4 && o.shape.every((d, i) => d === [1, 1, KEYPOINT_NAMES.length, 3][i]));
    if (!output) throw new Error(`${modelPath}: no [1, 1, ${KEYPOINT_NAMES.length}, 3] keypoint output among ${session.outputNames.join(', ')}`);
    const inputData = input.type === 'int32' ? new Int32Array(h * h * 3) : new Float32Array(h * h * 3);
    const tensor = new ort.Tensor(input.type, inputData, [1, h, h, 3]);
    return new OnnxPoseModel(session, h, tensor, inputData, output.name);
  }

  async infer(rgb: Uint8Array): Promise<Float32Array> {
    this.inputData.set(rgb);
    const outputs = await this.session.run({ [this.session.inputNames[0]!]: this.input });
    this.keypoints.set(outputs[this.outputName]!.data as Float32Array);
    return this.keypoints;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
