import { ensureMovenetModel } from '../../../models/movenet/locate.js';
import { PoseEstimator, type PoseEstimatorOptions } from './pose-estimator.js';
import { OnnxPoseModel } from './pose-model.js';

export { PoseEstimator, type PoseEstimatorOptions, type PoseResult, type StageTimings } from './pose-estimator.js';
export { OnnxPoseModel, type PoseModel } from './pose-model.js';
export type { CropRegion } from './crop-tracker.js';
export { measurePoseLoop, type PoseLoopReport } from './bench.js';

export interface CreatePoseEstimatorOptions extends PoseEstimatorOptions {
  /** Default: models/build's MoveNet, converted from node_modules first if missing or stale. */
  modelPath?: string;
  /** ONNX Runtime intra-op threads; default 1. */
  threads?: number;
}

/** MoveNet Lightning on ONNX Runtime behind a tracking, smoothing estimator. */
export async function createPoseEstimator(options: CreatePoseEstimatorOptions = {}): Promise<{ estimator: PoseEstimator; model: OnnxPoseModel }> {
  const model = await OnnxPoseModel.load(options.modelPath ?? ensureMovenetModel(), options.threads ?? 1);
  return { estimator: new PoseEstimator(model, options), model };
}
