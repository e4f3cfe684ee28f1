import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../log/logger.js';
import { SettingsError } from './errors.js';
import { loadSettings, updateSettings, type SettingsUpdate } from './settings.js';
import { SettingsStore } from './store.js';
import { useTempDir } from './test-support/temp-dir.js';

const dir = useTempDir();

async function start() {
  const file = join(dir.path, 'settings.json');
  return { file, settings: await loadSettings(file, silentLogger()) };
}

async function onDisk(file: string): Promise<unknown> {
  return JSON.parse(await readFile(file, 'utf8'));
}

describe('updateSettings', () => {
  it('saves a merge patch and sorts changed keys into hot and restart-required', async () => {
    const { file, settings } = await start();
    const update = await updateSettings(file, settings, {
      log: { level: 'debug' },
      retention: { scansDays: 7 },
      web: { port: 8081 },
      district: { url: 'mqtts://district.example:8883', reconnect: { maxSeconds: 120 } },
      devices: [{ id: 'scanner-1', kind: 'scanner', transport: 'real' }],
    });
    expect(update.hot).toEqual(['retention.scansDays', 'log.level']);
    expect(update.restartRequired).toEqual(['district.url', 'district.reconnect.maxSeconds', 'web.port', 'devices']);
    expect(update.changed).toEqual(['district.url', 'district.reconnect.maxSeconds', 'web.port', 'devices', 'retention.scansDays', 'log.level']);
    expect(update.settings.web).toEqual({ host: '0.0.0.0', port: 8081 });
    expect(update.settings.district.reconnect).toEqual({ minSeconds: 1, maxSeconds: 120 });
    expect(update.settings.devices).toEqual([{ id: 'scanner-1', kind: 'scanner', transport: 'real', enabled: true, options: {} }]);
    expect(await onDisk(file)).toEqual(update.settings);
    expect(settings.web.port).toBe(8080); // the running settings object is not modified
  });

  it('removes a key with null, bringing back its default', async () => {
    const { file, settings } = await start();
    const { settings: withPassword } = await updateSettings(file, settings, { district: { username: 'gw', password: 'pw' }, log: { level: 'warn' } });
    const update = await updateSettings(file, withPassword, { district: { password: null }, log: null });
    expect(update.settings.district.password).toBeUndefined();
    expect(update.settings.district.username).toBe('gw');
    expect(update.settings.log.level).toBe('info');
    expect(update.changed).toEqual(['district.password', 'log.level']);
    expect(await onDisk(file)).toEqual(update.settings);
  });

  it('rejects an invalid result with the same clear messages, and saves nothing', async () => {
    const { file, settings } = await start();
    const before = await readFile(file, 'utf8');
    const error = await updateSettings(file, settings, { web: { port: 0 }, telemetry: { intervalSecs: 30 }, ['__proto__']: { x: 1 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SettingsError);
    expect((error as SettingsError).message).toBe(
      [
        'Settings not changed: 3 problems:',
        `  - __proto__: unknown key; allowed keys here: ${Object.keys(settings).join(', ')}`,
        '  - web.port: allowed: a whole number from 1 to 65535; found 0',
        '  - telemetry.intervalSecs: unknown key (did you mean "intervalSeconds"?); allowed keys here: intervalSeconds',
      ].join('\n'),
    );
    expect((error as SettingsError).problems.map((p) => p.path)).toEqual(['__proto__', 'web.port', 'telemetry.intervalSecs']);
    expect(await readFile(file, 'utf8')).toBe(before);
    await expect(updateSettings(file, settings, [{ op: 'replace' }])).rejects.toThrow(/must be a JSON object/);
  });

  it('reports nothing changed for a patch that sets current values', async () => {
    const { file, settings } = await start();
    const update = await updateSettings(file, settings, { web: { port: 8080 }, dataDir: '.' });
    expect(update).toEqual({ settings, changed: [], restartRequired: [], hot: [] });
  });
});

describe('SettingsStore', () => {
  it('applies concurrent updates one after the other and announces each change', async () => {
    const store = await SettingsStore.open(join(dir.path, 'settings.json'), silentLogger());
    const seen: SettingsUpdate[] = [];
    store.on('change', (update) => seen.push(update));
    await Promise.all([store.update({ log: { level: 'debug' } }), store.update({ telemetry: { intervalSeconds: 10 } }), store.update({ log: { level: 'debug' } })]);
    expect(store.current.log.level).toBe('debug');
    expect(store.current.telemetry.intervalSeconds).toBe(10);
    expect(seen.map((u) => u.hot)).toEqual([['log.level'], ['telemetry.intervalSeconds']]);
    expect(await onDisk(store.file)).toEqual(store.current);
  });

  it('keeps its settings when an update is rejected, and goes on with the next', async () => {
    const store = await SettingsStore.open(join(dir.path, 'settings.json'), silentLogger());
    const before = store.current;
    await expect(store.update({ log: { level: 'chatty' } })).rejects.toThrow(SettingsError);
    expect(store.current).toBe(before);
    await expect(store.update({ web: { port: 9000 } })).resolves.toMatchObject({ restartRequired: ['web.port'] });
  });
});
