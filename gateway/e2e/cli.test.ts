import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { startGatewayProcess } from '../test-support/gateway-process.js';
import { projectRoot } from '../util/project-root.js';

function checkConfig(settings: unknown) {
  const dir = mkdtempSync(join(tmpdir(), 'check-config-'));
  const file = join(dir, 'settings.json');
  writeFileSync(file, typeof settings === 'string' ? settings : JSON.stringify(settings));
  return spawnSync(process.execPath, ['--import', 'tsx', 'gateway/main.ts', 'check-config', '--config', file], { cwd: projectRoot(), encoding: 'utf8' });
}

describe('gateway command line', () => {
  it('check-config accepts a valid file and names every bad key of an invalid one', () => {
    const ok = checkConfig({ version: 2, school: { id: 'school-7' } });
    expect(ok.status).toBe(0);
    const bad = checkConfig({ version: 2, web: { port: 'http' }, district: { protocol: '4' } });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('web.port');
    expect(bad.stdout).toContain('district.protocol');
    expect(bad.stdout).toMatch(/"auto".*"5".*"3\.1\.1"/);
  });

  it('backs the box up, resets it to factory settings and restores it, as school IT would', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-backup-'));
    const file = join(dir, 'settings.json');
    const archive = join(mkdtempSync(join(tmpdir(), 'cli-archive-')), 'box.tar.gz');
    writeFileSync(file, JSON.stringify({ version: 2, school: { id: 'school-7' }, dataDir: dir, web: { port: 1 } }));
    const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'gateway/main.ts', ...args, '--config', file], { cwd: projectRoot(), encoding: 'utf8' });

    expect(cli('backup').status).toBe(2);
    const backup = cli('backup', '--out', archive);
    expect(backup.status, backup.stderr).toBe(0);
    expect(cli('factory-reset').status).toBe(2);
    expect(cli('factory-reset', '--yes').status).toBe(0);
    expect(existsSync(file)).toBe(false);
    const restore = cli('restore', archive);
    expect(restore.status, restore.stderr).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ school: { id: 'school-7' } });
    expect(cli('restore', join(dir, 'no-such-backup.tar.gz')).status).toBe(1);
  });

  it('refuses to start on invalid settings with the same message and exit code 78', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bad-start-'));
    const file = join(dir, 'settings.json');
    writeFileSync(file, '{"version":2,"web":{"port":70000},}');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'gateway/main.ts', 'start', '--config', file], { cwd: projectRoot(), encoding: 'utf8', timeout: 20_000 });
    expect(run.status).toBe(78);
    expect(run.stderr).toMatch(/line 1/);
  });

  it('answers a restart request, then stops cleanly so systemd can start it again', async () => {
    const gateway = await startGatewayProcess({ env: { INVOCATION_ID: 'test-unit' } });
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${gateway.busPort}`, { protocolVersion: 4 });
    const response = new Promise<string>((resolve) => client.on('message', (_t, p) => resolve(p.toString())));
    await client.subscribeAsync(`${gateway.baseTopic}/response/restart`, { qos: 1 });
    client.publish(`${gateway.baseTopic}/request/restart`, JSON.stringify({ transaction: 'r1' }));
    expect(JSON.parse(await response)).toMatchObject({ data: { status: 'ok', transaction: 'r1', data: { restarting: true } } });
    expect(await gateway.exited).toBe(0);
    await client.endAsync(true);
  });
});
