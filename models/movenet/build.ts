import { OPSET, convertGraph, type ConvertOptions } from './convert.js';
import { encodeOnnxModel } from './onnx-proto.js';
import type { TfModel } from './tfjs-model.js';

/** The converter's version: bump it whenever the ONNX it writes changes, so prepare re-runs. */
export const CONVERTER_VERSION = '1.0.0';

/** The ONNX model's interface for the rest of the app. */
export const MOVENET_IO = {
  input: { name: 'input', type: 'int32', shape: [1, 192, 192, 3] },
  output: { name: 'keypoints', type: 'float32', shape: [1, 1, 17, 3] },
} as const;

/** Converts MoveNet's TF.js graph to ONNX bytes; `extraOutputs` is for verification only. */
export function buildMovenetOnnx(model: TfModel, source: string, extraOutputs: Readonly<Record<string, string>> = {}): Uint8Array {
  const [tfInput] = model.inputs;
  const [tfOutput] = model.outputs;
  if (model.inputs.length !== 1 || model.outputs.length !== 1 || !tfInput || !tfOutput) {
    throw new Error(`expected one input and one output, found [${model.inputs.join(', ')}] → [${model.outputs.join(', ')}]`);
  }
  const options: ConvertOptions = { rename: { [tfInput]: MOVENET_IO.input.name, [tfOutput]: MOVENET_IO.output.name }, extraOutputs };
  const graph = convertGraph(model, options);
  return encodeOnnxModel(graph, {
    opset: OPSET,
    producerName: 'classroom-edge-gateway models/movenet',
    producerVersion: CONVERTER_VERSION,
    docString: `MoveNet SinglePose Lightning, converted from ${source}. Input int32 [1,192,192,3] RGB 0..255; output float32 [1,1,17,3] (y, x, score) per COCO keypoint, normalised to the input.`,
    metadata: { source },
  });
}
