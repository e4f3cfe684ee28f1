import { beforeAll, describe, expect, it } from 'vitest';
import { buildMovenetOnnx } from './build.js';
import { locateSource } from './source.js';
import { humanAsset, squareInput, structuredInput } from './test-support/images.js';
import { maxAbsDiff, runMovenetOnnx } from './test-support/onnx-run.js';
import { type TfjsReference, loadTfjsReference } from './test-support/tfjs-reference.js';
import { type TfModel, readTfjsModel } from './tfjs-model.js';

/*
 * The converted model against the original TF.js graph run by TF.js (CPU backend) on the same
 * frames. Measured on x86-64: keypoints ≤ 1e-6, heatmap logits ≤ 1e-4. The tolerances leave an
 * order of magnitude for other CPUs (arm64) and ORT versions while still catching any real
 * conversion error, as the perturbed-weight test shows.
 */
const KEYPOINT_TOLERANCE = 1e-4;
const HEATMAP_TOLERANCE = 1e-3;
const HEATMAP = 'StatefulPartitionedCall/kpt_heatmap_0/conv2d_5/BiasAdd';
const EXTRA = { [HEATMAP]: 'heatmap_logits' };

let source: TfModel;
let reference: TfjsReference;
let onnx: Uint8Array;
const frames: Record<string, Uint8Array> = {};

beforeAll(async () => {
  const modelJson = locateSource().modelJson;
  source = readTfjsModel(modelJson);
  reference = await loadTfjsReference(modelJson);
  onnx = buildMovenetOnnx(source, 'test', EXTRA);
  frames['photo'] = await squareInput(humanAsset('samples.jpg'), { left: 0, top: 0, width: 158, height: 158 });
  frames['synthetic'] = structuredInput(42);
});

async function compare(bytes: Uint8Array, frame: Uint8Array): Promise<{ keypoints: number; heatmap: number }> {
  const [keypoints, heatmap] = await runMovenetOnnx(bytes, frame, ['keypoints', 'heatmap_logits']);
  const [refKeypoints, refHeatmap] = await reference.run(Int32Array.from(frame), ['Identity:0', HEATMAP]);
  if (!keypoints || !heatmap || !refKeypoints || !refHeatmap) throw new Error('missing outputs');
  return { keypoints: maxAbsDiff(keypoints, refKeypoints), heatmap: maxAbsDiff(heatmap, refHeatmap) };
}

describe('converted MoveNet vs the TF.js original', () => {
  it.each(['photo', 'synthetic'])('agrees on the %s frame', async (name) => {
    const diff = await compare(onnx, frames[name] ?? new Uint8Array());
    console.log(`${name}: max |Δ| keypoints ${diff.keypoints.toExponential(2)}, heatmap logits ${diff.heatmap.toExponential(2)}`);
    expect(diff.keypoints).toBeLessThanOrEqual(KEYPOINT_TOLERANCE);
    expect(diff.heatmap).toBeLessThanOrEqual(HEATMAP_TOLERANCE);
  });

  it('detects a 1 % error in one weight (the comparison can fail)', async () => {
    const name = 'StatefulPartitionedCall/center_net_mobile_net_v2fpn_feature_extractor/model_1/model/block_1_project/Conv2D_weights';
    const weight = source.weights.get(name);
    if (weight?.dtype !== 'float32') throw new Error(`${name} is not a float weight`);
    const weights = new Map(source.weights);
    weights.set(name, { ...weight, data: weight.data.map((v) => v * 1.01) });
    const perturbed = buildMovenetOnnx({ ...source, weights }, 'test', EXTRA);
    const diff = await compare(perturbed, frames['photo'] ?? new Uint8Array());
    expect(diff.keypoints).toBeGreaterThan(KEYPOINT_TOLERANCE);
    expect(diff.heatmap).toBeGreaterThan(HEATMAP_TOLERANCE);
  });
});
