import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONVERTER_VERSION, MOVENET_IO, buildMovenetOnnx } from './build.js';
import { OPSET } from './convert.js';
import { MANIFEST_FILE, MODEL_FILE, type MovenetManifest, readManifest, sha256, sha256File } from './manifest.js';
import { LICENCES, SOURCE_PACKAGE, locateSource } from './source.js';
import { readTfjsModel } from './tfjs-model.js';

/** models/build/, git-ignored; the gateway and the tests share it. */
export const DEFAULT_BUILD_DIR = fileURLToPath(new URL('../build', import.meta.url));

export interface PrepareResult {
  readonly converted: boolean;
  readonly modelPath: string;
  readonly manifest: MovenetManifest;
}

/**
 * Converts the installed package's MoveNet to ONNX unless the build dir already holds a model made
 * from the same source bytes by the same converter version. Local only: never downloads.
 */
export function prepareMovenet(buildDir: string = DEFAULT_BUILD_DIR): PrepareResult {
  const source = locateSource();
  const files = source.files.map((f) => ({ path: f.relative, sha256: sha256File(f.absolute) }));
  const modelPath = join(buildDir, MODEL_FILE);
  const existing = readManifest(join(buildDir, MANIFEST_FILE));
  if (existing && isCurrent(existing, files, modelPath)) return { converted: false, modelPath, manifest: existing };

  const onnx = buildMovenetOnnx(readTfjsModel(source.modelJson), `${SOURCE_PACKAGE}@${source.packageVersion}`);
  const manifest: MovenetManifest = {
    model: 'movenet-singlepose-lightning',
    source: { package: SOURCE_PACKAGE, version: source.packageVersion, files },
    licence: LICENCES,
    converter: { version: CONVERTER_VERSION },
    output: { file: MODEL_FILE, sha256: sha256(onnx), bytes: onnx.byteLength },
    opset: OPSET,
    io: MOVENET_IO,
  };
  mkdirSync(buildDir, { recursive: true });
  // Model first, manifest last, each by rename: a crash or a concurrent test worker never leaves a
  // manifest that vouches for a half-written model.
  writeAtomically(modelPath, onnx);
  writeAtomically(join(buildDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return { converted: true, modelPath, manifest };
}

function isCurrent(manifest: MovenetManifest, files: readonly { path: string; sha256: string }[], modelPath: string): boolean {
  const sameSource = manifest.source.files.length === files.length && files.every((f, i) => manifest.source.files[i]?.path === f.path && manifest.source.files[i]?.sha256 === f.sha256);
  if (!sameSource || manifest.converter.version !== CONVERTER_VERSION) return false;
  try {
    return sha256File(modelPath) === manifest.output.sha256;
  } catch {
    return false;
  }
}

function writeAtomically(path: string, data: Uint8Array | string): void {
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temporary, data);
  renameSync(temporary, path);
}
