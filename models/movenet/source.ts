import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Where MoveNet comes from: the TF.js graph shipped inside an installed npm package. */
export const SOURCE_PACKAGE = '@vladmandic/human';
export const SOURCE_FILES = ['models/movenet-lightning.json', 'models/movenet-lightning.bin'] as const;
export const LICENCES = {
  model: 'Apache-2.0 (Google MoveNet SinglePose Lightning v4, https://tfhub.dev/google/movenet/singlepose/lightning/4)',
  package: 'MIT (@vladmandic/human)',
} as const;

export interface MovenetSource {
  readonly packageVersion: string;
  readonly packageDir: string;
  readonly modelJson: string;
  readonly files: readonly { readonly relative: string; readonly absolute: string }[];
}

/**
 * Resolves the installed package through Node's resolver, so hoisting or workspaces do not matter.
 * The package's `exports` hide package.json, so walk up from its entry point instead.
 */
export function locateSource(): MovenetSource {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve(SOURCE_PACKAGE);
  } catch {
    throw new Error(`${SOURCE_PACKAGE} is not installed: run npm ci (MoveNet is converted from its TF.js files)`);
  }
  let packageDir = dirname(entry);
  let manifest = readManifest(packageDir);
  while (manifest?.name !== SOURCE_PACKAGE) {
    const parent = dirname(packageDir);
    if (parent === packageDir) throw new Error(`cannot find the package.json of ${SOURCE_PACKAGE} above ${entry}`);
    packageDir = parent;
    manifest = readManifest(packageDir);
  }
  const version = manifest.version;
  const files = SOURCE_FILES.map((relative) => ({ relative: `${SOURCE_PACKAGE}/${relative}`, absolute: join(packageDir, relative) }));
  return { packageVersion: version, packageDir, modelJson: join(packageDir, SOURCE_FILES[0]), files };
}

function readManifest(dir: string): { name?: string; version: string } | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version: string };
  } catch {
    return undefined;
  }
}
