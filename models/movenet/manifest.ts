import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** What models/build/manifest.json records about the converted model. */
export interface MovenetManifest {
  readonly model: 'movenet-singlepose-lightning';
  readonly source: {
    readonly package: string;
    readonly version: string;
    readonly files: readonly { readonly path: string; readonly sha256: string }[];
  };
  readonly licence: { readonly model: string; readonly package: string };
  readonly converter: { readonly version: string };
  readonly output: { readonly file: string; readonly sha256: string; readonly bytes: number };
  readonly opset: number;
  readonly io: {
    readonly input: { readonly name: string; readonly type: string; readonly shape: readonly number[] };
    readonly output: { readonly name: string; readonly type: string; readonly shape: readonly number[] };
  };
}

export const MANIFEST_FILE = 'manifest.json';
export const MODEL_FILE = 'movenet-lightning.onnx';

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function sha256File(path: string): string {
  return sha256(readFileSync(path));
}

/** The manifest at `path`, or undefined if it is missing or not one of ours. */
export function readManifest(path: string): MovenetManifest | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
  const candidate = parsed as Partial<MovenetManifest> | null;
  const ok = candidate?.model === 'movenet-singlepose-lightning' && typeof candidate.output?.sha256 === 'string' && Array.isArray(candidate.source?.files);
  return ok ? (candidate as MovenetManifest) : undefined;
}
