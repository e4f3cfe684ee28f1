import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { list } from 'tar';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SettingsError } from '../settings/index.js';
import { createBackup } from './backup.js';
import { runServiceCommand } from './cli.js';
import { factoryReset } from './factory-reset.js';
import { restoreBackup } from './restore.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'gateway-backup-test-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A data folder as a running gateway leaves it, with the settings file inside (the box's layout). */
async function box(name: string, school: string): Promise<string> {
  const dir = join(root, name);
  const files: Record<string, string> = {
    'settings.json': JSON.stringify({ version: 2, school: { id: school, name: school }, web: { host: '127.0.0.1', port: 1 } }),
    'secrets.json': JSON.stringify({ internalBusPassword: `${school}-bus-password` }),
    'node-red/flows.json': `[{"id":"${school}"}]`,
    'node-red/flows_cred.json': '{"$":"sealed"}',
    'node-red/node_modules/some-node/index.js': 'module.exports = 1',
    'node-red/flow-backups/flows-1.json': '[]',
    'assignments/fractions.json': `{"school":"${school}"}`,
    'assignments/class-5b.csv': 'student_id,name,number\n1,A,1\n',
    'pens/paper-map.json': '{}',
    'outbox/00000000000000000001.seg': 'queued message',
    'scans/2026-12-01/page-1.jpg': 'jpeg',
    '.secrets.json.1.1.tmp': 'half-written',
  };
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return join(dir, 'settings.json');
}

async function archived(file: string): Promise<string[]> {
  const names: string[] = [];
  await list({ file, onReadEntry: (entry) => void (entry.type === 'File' && names.push(entry.path)) });
  return names.sort();
}

describe('backup', () => {
  it('archives the configuration, not the data, modules, flow history or temp files', async () => {
    const settings = await box('a', 'school-a');
    const out = join(root, 'a.tar.gz');
    const manifest = await createBackup({ settingsFile: settings, out });
    expect(manifest.entries).toEqual(['secrets.json', 'node-red', 'assignments', 'pens']);
    expect(await archived(out)).toEqual([
      'data/assignments/class-5b.csv',
      'data/assignments/fractions.json',
      'data/node-red/flows.json',
      'data/node-red/flows_cred.json',
      'data/pens/paper-map.json',
      'data/secrets.json',
      'manifest.json',
      'settings.json',
    ]);
  });

  it('adds outbox and scans with --with-data', async () => {
    const out = join(root, 'a.tar.gz');
    await createBackup({ settingsFile: await box('a', 'school-a'), out, withData: true });
    expect(await archived(out)).toEqual(expect.arrayContaining(['data/outbox/00000000000000000001.seg', 'data/scans/2026-12-01/page-1.jpg']));
  });

  it('refuses to back up settings the gateway would refuse', async () => {
    const settings = await box('a', 'school-a');
    await writeFile(settings, '{"version":2,"web":{"port":"8080"}}');
    await expect(createBackup({ settingsFile: settings, out: join(root, 'x.tar.gz') })).rejects.toBeInstanceOf(SettingsError);
    expect(await readdir(root)).toEqual(['a']);
  });
});

describe('restore', () => {
  it('swaps in the backup, keeps the previous versions as .bak and moves aside what the backup lacks', async () => {
    const out = join(root, 'a.tar.gz');
    await createBackup({ settingsFile: await box('a', 'school-a'), out });
    const target = await box('b', 'school-b');
    const dataDir = dirname(target);
    await mkdir(join(dataDir, 'exercises'));

    const result = await restoreBackup({ settingsFile: target, archive: out });

    expect(JSON.parse(await readFile(target, 'utf8')).school.id).toBe('school-a');
    expect(JSON.parse(await readFile(`${target}.bak`, 'utf8')).school.id).toBe('school-b');
    expect(await readFile(join(dataDir, 'node-red/flows.json'), 'utf8')).toBe('[{"id":"school-a"}]');
    expect(await readFile(join(dataDir, 'node-red.bak/flows.json'), 'utf8')).toBe('[{"id":"school-b"}]');
    expect(await readFile(join(dataDir, 'secrets.json'), 'utf8')).toContain('school-a');
    expect(result.restored).toContain(join(dataDir, 'exercises'));
    expect(await readdir(dataDir)).toContain('exercises.bak');
    // Without --with-data in the backup, the box's own data is untouched.
    expect(await readFile(join(dataDir, 'outbox/00000000000000000001.seg'), 'utf8')).toBe('queued message');
    expect((await readdir(dataDir)).filter((n) => n.startsWith('.restore') || n.endsWith('.restore.tmp'))).toEqual([]);
  });

  it('changes nothing when the settings inside are invalid', async () => {
    const source = await box('a', 'school-a');
    await writeFile(source, '{"version":2,"web":{"port":"8080"}}');
    const out = join(root, 'bad.tar.gz');
    // Made by hand: createBackup itself refuses invalid settings.
    const { create } = await import('tar');
    await writeFile(join(root, 'a', 'manifest.json'), JSON.stringify({ format: 'classroom-gateway-backup/1', gatewayVersion: '0', createdAt: '', withData: false, entries: [] }));
    await create({ gzip: true, file: out, cwd: join(root, 'a') }, ['manifest.json', 'settings.json']);
    const target = await box('b', 'school-b');
    const before = await readdir(dirname(target));

    await expect(restoreBackup({ settingsFile: target, archive: out })).rejects.toThrow(/web\.port/);
    expect(await readdir(dirname(target))).toEqual(before);
    expect(JSON.parse(await readFile(target, 'utf8')).school.id).toBe('school-b');
  });

  it('refuses an archive that is not a gateway backup', async () => {
    const out = join(root, 'other.tar.gz');
    const { create } = await import('tar');
    await create({ gzip: true, file: out, cwd: join(dirname(await box('a', 'school-a'))) }, ['assignments']);
    await expect(restoreBackup({ settingsFile: join(root, 'a', 'settings.json'), archive: out })).rejects.toThrow(/Not a gateway backup/);
  });
});

describe('factory reset', () => {
  it('with --keep-data removes settings, secrets and flows only', async () => {
    const settings = await box('a', 'school-a');
    await factoryReset({ settingsFile: settings, keepData: true });
    expect((await readdir(dirname(settings))).sort()).toEqual(['.secrets.json.1.1.tmp', 'assignments', 'outbox', 'pens', 'scans']);
  });

  it('without it empties the data folder but keeps the folder', async () => {
    const settings = await box('a', 'school-a');
    await factoryReset({ settingsFile: settings });
    expect(await readdir(dirname(settings))).toEqual([]);
  });
});

describe('the CLI', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it('wants --yes for a factory reset', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const settings = await box('a', 'school-a');
    expect(await runServiceCommand('factory-reset', [], {}, settings)).toBe(2);
    stderr.mockRestore();
    expect(await readdir(dirname(settings))).toContain('settings.json');
  });

  it('refuses to restore under a running gateway', async () => {
    const running = createServer();
    server = running;
    await new Promise<void>((resolve) => running.listen(0, '127.0.0.1', resolve));
    const port = (running.address() as { port: number }).port;
    const settings = await box('a', 'school-a');
    await writeFile(settings, JSON.stringify({ version: 2, web: { host: '127.0.0.1', port } }));
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await runServiceCommand('restore', [join(root, 'none.tar.gz')], {}, settings)).toBe(1);
    expect(String(stderr.mock.calls[0]?.[0])).toMatch(/seems to be running/);
    stderr.mockRestore();
  });
});
