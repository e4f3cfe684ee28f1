/**
 * The pose model as the estimator sees it: a square RGB crop in, 17 × (y, x, score) out,
 * normalised to the crop. Production uses MoveNet (models/movenet's createMovenet); tests may
 * substitute fakes.
 */
export interface PoseModel {
  /** Side of the square input (192 for MoveNet Lightning). */
  readonly inputSize: number;
  /** `rgb` is inputSize² × 3 bytes, row-major, RGB. The result is reused by the next call. */
  infer(rgb: Uint8Array): Promise<Float32Array>;
  release(): Promise<void>;
}
