import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureMovenetModel, movenetModelPath } from './locate.js';
import { MANIFEST_FILE, type MovenetManifest, sha256File } from './manifest.js';
import { prepareMovenet } from './prepare-movenet.js';

const dir = mkdtempSync(join(tmpdir(), 'movenet-build-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('prepare, locate and ensure', () => {
  it('says how to fix a missing model', () => {
    expect(() => movenetModelPath(join(dir, 'nowhere'))).toThrow(/run npm run models:prepare/);
  });

  it('converts once, records provenance, then skips while the sources are unchanged', () => {
    const first = prepareMovenet(dir);
    expect(first.converted).toBe(true);
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as MovenetManifest;
    expect(manifest.source.package).toBe('@vladmandic/human');
    expect(manifest.source.files.map((f) => f.path)).toEqual(['@vladmandic/human/models/movenet-lightning.json', '@vladmandic/human/models/movenet-lightning.bin']);
    expect(manifest.licence.model).toMatch(/^Apache-2\.0/);
    expect(manifest.licence.package).toMatch(/^MIT/);
    expect(manifest.output.sha256).toBe(sha256File(first.modelPath));
    expect(manifest.io.input).toEqual({ name: 'input', type: 'int32', shape: [1, 192, 192, 3] });
    expect(manifest.io.output).toEqual({ name: 'keypoints', type: 'float32', shape: [1, 1, 17, 3] });

    const second = prepareMovenet(dir);
    expect(second.converted).toBe(false);
    expect(movenetModelPath(dir)).toBe(first.modelPath);
  });

  it('refuses an altered model and ensure repairs it, byte-identically', () => {
    const path = movenetModelPath(dir);
    const good = sha256File(path);
    writeFileSync(path, 'not a model');
    expect(() => movenetModelPath(dir)).toThrow(/does not match its manifest.*run npm run models:prepare/);
    expect(ensureMovenetModel(dir)).toBe(path);
    expect(sha256File(path)).toBe(good); // the conversion is deterministic
  });
});
