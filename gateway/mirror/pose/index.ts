import { createMovenet, type Movenet } from '../../../models/movenet/movenet.js';
import { PoseEstimator, type PoseEstimatorOptions } from './pose-estimator.js';

export { PoseEstimator, type PoseEstimatorOptions, type PoseResult, type StageTimings } from './pose-estimator.js';
export type { PoseModel } from './pose-model.js';
export type { CropRegion } from './crop-tracker.js';
export { measurePoseLoop, type PoseLoopReport } from './bench.js';

export interface CreatePoseEstimatorOptions extends PoseEstimatorOptions {
  /** Default: models/build's MoveNet, converted from node_modules first if missing or stale. */
  modelPath?: string;
  /** ONNX Runtime intra-op threads; default 1. */
  threads?: number;
}

/** MoveNet Lightning on ONNX Runtime behind a tracking, smoothing estimator. */
export async function createPoseEstimator(options: CreatePoseEstimatorOptions = {}): Promise<{ estimator: PoseEstimator; model: Movenet }> {
  const model = await createMovenet({ ...(options.modelPath ? { modelPath: options.modelPath } : {}), threads: options.threads ?? 1 });
  return { estimator: new PoseEstimator(model, options), model };
}
