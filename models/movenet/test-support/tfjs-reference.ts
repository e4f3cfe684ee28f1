import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tfconv from '@tensorflow/tfjs-converter';
import * as tf from '@tensorflow/tfjs-core';

/**
 * The original TF.js graph run by TF.js itself on its pure-JS CPU backend: the numerical reference
 * the converted ONNX model is checked against. Loaded from local files through a custom IOHandler,
 * so nothing is fetched.
 */
export interface TfjsReference {
  run(input: Int32Array, outputs: readonly string[]): Promise<Float32Array[]>;
}

export async function loadTfjsReference(modelJsonPath: string): Promise<TfjsReference> {
  await tf.setBackend('cpu');
  const json = JSON.parse(readFileSync(modelJsonPath, 'utf8')) as {
    modelTopology: object;
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  };
  const weightData = Buffer.concat(json.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(join(dirname(modelJsonPath), p)))));
  const handler: tf.io.IOHandler = {
    load: async () => ({
      modelTopology: json.modelTopology,
      format: 'graph-model',
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
      weightData: weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength),
    }),
  };
  const model = await tfconv.loadGraphModel(handler);
  return {
    async run(input, outputs) {
      const x = tf.tensor4d(input, [1, 192, 192, 3], 'int32');
      const result = (await model.executeAsync(x, outputs as string[])) as tf.Tensor | tf.Tensor[];
      const tensors = Array.isArray(result) ? result : [result];
      const data = await Promise.all(tensors.map(async (t) => new Float32Array(await t.data())));
      tf.dispose([x, ...tensors]);
      return data;
    },
  };
}
