import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../log/logger.js';
import { AtomicJsonFile } from './atomic-json-file.js';
import { loadSettings } from './settings.js';
import { useTempDir } from './test-support/temp-dir.js';

const dir = useTempDir();

describe('AtomicJsonFile', () => {
  it('writes owner-only, leaves no temp file behind, and reads back what it wrote', async () => {
    const file = join(dir.path, 'nested', 'data.json');
    const adapter = new AtomicJsonFile<{ n: number }>(file, (text) => JSON.parse(text) as { n: number });
    expect(await adapter.read()).toBeNull();
    await adapter.write({ n: 1 });
    expect(await adapter.read()).toEqual({ n: 1 });
    expect(await readFile(file, 'utf8')).toBe('{\n  "n": 1\n}\n');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(dir.path, 'nested'))).toEqual(['data.json']);
  });

  it('lands overlapping writes in call order', async () => {
    const file = join(dir.path, 'data.json');
    const adapter = new AtomicJsonFile<{ n: number }>(file, (text) => JSON.parse(text) as { n: number });
    await Promise.all(Array.from({ length: 20 }, (_, n) => adapter.write({ n })));
    expect(await adapter.read()).toEqual({ n: 19 });
    expect(await readdir(dir.path)).toEqual(['data.json']);
  });

  it('after a crash between writing the temp file and the rename, keeps the old file and removes the temp on load', async () => {
    const file = join(dir.path, 'settings.json');
    const before = await loadSettings(file, silentLogger());
    const saved = await readFile(file, 'utf8');
    // What a power cut mid-update leaves: the temp file, cut short, never renamed.
    const stale = join(dir.path, '.settings.json.4242.7.tmp');
    await writeFile(stale, '{\n  "version": 2,\n  "web": {\n    "po');

    expect(await loadSettings(file, silentLogger())).toEqual(before);
    expect(await readFile(file, 'utf8')).toBe(saved);
    expect(await readdir(dir.path)).toEqual(['settings.json']);
  });

  it('removes only its own temp files', async () => {
    const file = join(dir.path, 'settings.json');
    await writeFile(join(dir.path, '.secrets.json.1.1.tmp'), '');
    await writeFile(join(dir.path, 'notes.tmp'), '');
    const adapter = new AtomicJsonFile<unknown>(file, (text) => JSON.parse(text) as unknown);
    await writeFile(join(dir.path, '.settings.json.1.1.tmp'), '');
    expect(await adapter.removeStaleTemps()).toEqual([join(dir.path, '.settings.json.1.1.tmp')]);
    expect((await readdir(dir.path)).sort()).toEqual(['.secrets.json.1.1.tmp', 'notes.tmp']);
  });

  it('clears a folder of such files of every temp a crash left, even of a file never written whole', async () => {
    await new AtomicJsonFile<unknown>(join(dir.path, 's01.json'), (text) => JSON.parse(text) as unknown).write({ pages: [] });
    await writeFile(join(dir.path, '.s01.json.1.1.tmp'), '');
    await writeFile(join(dir.path, '.s02.json.1.2.tmp'), '');
    await writeFile(join(dir.path, 'notes.tmp'), '');
    expect((await AtomicJsonFile.removeStaleTempsIn(dir.path)).sort()).toEqual([join(dir.path, '.s01.json.1.1.tmp'), join(dir.path, '.s02.json.1.2.tmp')]);
    expect((await readdir(dir.path)).sort()).toEqual(['notes.tmp', 's01.json']);
    expect(await AtomicJsonFile.removeStaleTempsIn(join(dir.path, 'missing'))).toEqual([]);
  });
});
