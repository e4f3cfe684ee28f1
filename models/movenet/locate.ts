import { join } from 'node:path';
import { MANIFEST_FILE, readManifest, sha256File } from './manifest.js';
import { DEFAULT_BUILD_DIR, prepareMovenet } from './prepare-movenet.js';

/**
 * The converted model's path, after checking it against the manifest's sha256. Throws with the fix
 * ("run npm run models:prepare") when the model is missing, altered or half-written.
 */
export function movenetModelPath(buildDir: string = DEFAULT_BUILD_DIR): string {
  const manifest = readManifest(join(buildDir, MANIFEST_FILE));
  const fix = 'run npm run models:prepare';
  if (!manifest) throw new Error(`MoveNet ONNX model not prepared (no manifest in ${buildDir}): ${fix}`);
  const modelPath = join(buildDir, manifest.output.file);
  let actual: string;
  try {
    actual = sha256File(modelPath);
  } catch {
    throw new Error(`MoveNet ONNX model missing at ${modelPath}: ${fix}`);
  }
  if (actual !== manifest.output.sha256) throw new Error(`MoveNet ONNX model at ${modelPath} does not match its manifest (sha256 ${actual}): ${fix}`);
  return modelPath;
}

/**
 * Converts the model from the installed package if it is missing or stale (about a second, fully
 * offline), then returns its verified path. For the gateway's start-up and for tests.
 */
export function ensureMovenetModel(buildDir: string = DEFAULT_BUILD_DIR): string {
  prepareMovenet(buildDir);
  return movenetModelPath(buildDir);
}
