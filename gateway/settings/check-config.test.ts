import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConfig } from './check-config.js';
import { useTempDir } from './test-support/temp-dir.js';

const dir = useTempDir();

describe('checkConfig', () => {
  it('summarises a valid file without writing anything', async () => {
    const file = join(dir.path, 'settings.json');
    await writeFile(file, JSON.stringify({ version: 1, mqtt: { server: 'mqtts://gw:hunter2@district.example' }, schoolId: 'lincoln-high', webPort: 80 }));
    const result = await checkConfig(file);
    expect(result.ok).toBe(true);
    const summary = result.ok ? result.summary : '';
    expect(summary).toContain(`Settings file ${file} is valid.`);
    expect(summary).toContain(`It has the version 1 layout: on start the gateway upgrades it to version 2, keeping a copy as ${file}.v1.bak.`);
    expect(summary).toContain('Identity: school lincoln-high (Demo School), classroom demo-classroom (Demo Classroom), gateway gateway-1; topic prefix classroom');
    expect(summary).toContain('District: mqtts://gw:***@district.example (MQTT auto)');
    expect(summary).toContain('Web: 0.0.0.0:80; Node-RED /admin');
    expect(summary).toContain('Devices: scanner-1 (scanner, simulated)');
    expect(summary).not.toContain('hunter2');
    expect(await readdir(dir.path)).toEqual(['settings.json']);
  });

  it('says a missing file means defaults, and does not create it', async () => {
    const result = await checkConfig(join(dir.path, 'settings.json'));
    expect(result).toMatchObject({ ok: true, summary: expect.stringContaining('does not exist (or is empty): the gateway will start with the defaults') });
    expect(result.ok && result.summary).toContain('District: none configured; the uplink loops back to the local bus and nothing leaves the box.');
    expect(await readdir(dir.path)).toEqual([]);
  });

  it('returns the problems of an invalid file', async () => {
    const file = join(dir.path, 'settings.json');
    await writeFile(file, JSON.stringify({ web: { port: 'http' }, log: { level: 'loud' } }));
    expect(await checkConfig(file)).toEqual({
      ok: false,
      message: [
        `${file} has 2 problems:`,
        '  - web.port: allowed: a whole number from 1 to 65535; found "http"',
        '  - log.level: allowed: one of "fatal", "error", "warn", "info", "debug", "trace"; found "loud"',
      ].join('\n'),
    });
  });

  it('reports TLS files it cannot read', async () => {
    const file = join(dir.path, 'settings.json');
    await writeFile(join(dir.path, 'ca.pem'), 'PEM');
    await writeFile(file, JSON.stringify({ district: { url: 'mqtts://district.example', tls: { ca: 'ca.pem', cert: 'gw.pem', key: '/nowhere/gw.key' } } }));
    expect(await checkConfig(file)).toEqual({
      ok: false,
      message: [
        `${file} names files the gateway cannot read:`,
        `  - district.tls.cert: cannot read "${join(dir.path, 'gw.pem')}" (ENOENT)`,
        '  - district.tls.key: cannot read "/nowhere/gw.key" (ENOENT)',
      ].join('\n'),
    });
  });

  it('reports a file it cannot open', async () => {
    expect(await checkConfig(dir.path)).toEqual({ ok: false, message: expect.stringContaining(`cannot read ${dir.path}: EISDIR`) });
  });
});
