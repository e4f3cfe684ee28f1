/**
 * `npm run measure:writes -- [--minutes 10] [--pen-speed 30] [--keep]`: how much the gateway writes
 * to its disk (the Pi's SD card) per hour of normal operation: default settings, simulated devices
 * (scanner, 40 pens, camera), loopback uplink, Node-RED on. The demo class writes 30× faster than a
 * real evening (the default devices' pace, an upper bound); `--pen-speed 1` measures a real pace.
 *
 * Total: the kernel's `write_bytes` in /proc/<pid>/io (bytes the process sent towards the block
 * device, page by page: a 100-byte append that is fsync'd counts 4 KiB, as it costs the card).
 * Start-up (default files, Node-RED's first deploy) is reported apart from the steady state.
 * The gateway runs with the unit's Environment= lines, as on the box (GATEWAY_SETTINGS aside).
 * Per folder: an estimate from sampling the data folder every 2 s: growth of a file counts,
 * and a file with a new inode (an atomic temp+rename rewrite) counts whole. Rewrites in place
 * and several rewrites within one sample are missed, so the folders may add up to less.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from '../../gateway/test-support/free-port.js';
import { projectRoot } from '../../gateway/util/project-root.js';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' }, 'pen-speed': { type: 'string', default: '30' }, keep: { type: 'boolean', default: false } } });
const minutes = Number(values.minutes);
if (!(minutes > 0)) throw new Error('--minutes must be a positive number');
const penSpeed = Number(values['pen-speed']);
if (!Number.isInteger(penSpeed) || penSpeed < 1 || penSpeed > 100) throw new Error('--pen-speed must be a whole number from 1 to 100');
const SAMPLE_MS = 2000;

interface FileState {
  ino: number;
  size: number;
}

async function snapshot(dir: string, into = new Map<string, FileState>()): Promise<Map<string, FileState>> {
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await snapshot(path, into);
    else if (entry.isFile()) {
      const s = await stat(path).catch(() => null);
      if (s) into.set(path, { ino: s.ino, size: s.size });
    }
  }
  return into;
}

async function writeBytes(pid: number): Promise<number> {
  const io = await readFile(`/proc/${pid}/io`, 'utf8');
  const match = /^write_bytes:\s+(\d+)$/m.exec(io);
  if (!match?.[1]) throw new Error(`/proc/${pid}/io has no write_bytes`);
  return Number(match[1]);
}

/** The folder a file's bytes are credited to: two levels down (node-red/lib, outbox), files at the top by name. */
function folderOf(dataDir: string, path: string): string {
  const parts = relative(dataDir, path).split(sep);
  return parts.length === 1 ? parts[0] ?? '' : `${parts.slice(0, Math.min(2, parts.length - 1)).join('/')}/`;
}

const dataDir = await mkdtemp(join(tmpdir(), 'measure-writes-'));
const settingsFile = join(dataDir, 'settings.json');
const root = projectRoot();
// The settings' default devices, with the demo class writing at the pace asked for.
const settingsSchema = JSON.parse(await readFile(join(root, 'gateway', 'settings', 'settings.schema.json'), 'utf8')) as { properties: { devices: { default: { kind: string; options?: object }[] } } };
const devices = settingsSchema.properties.devices.default.map((d) => (d.kind === 'pen-hub' ? { ...d, options: { ...d.options, speed: penSpeed } } : d));
await writeFile(settingsFile, JSON.stringify({ version: 2, web: { host: '127.0.0.1', port: await freePort() }, bus: { port: await freePort() }, devices }, null, 2));
const unitEnv = Object.fromEntries(
  [...(await readFile(join(root, 'systemd', 'classroom-gateway.service'), 'utf8')).matchAll(/^Environment=(\w+)=(.*)$/gm)]
    .filter((m) => m[1] !== 'GATEWAY_SETTINGS')
    .map((m) => [m[1], m[2]]),
);
const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'gateway', 'main.ts'), 'start', '--config', settingsFile], {
  cwd: root,
  env: { ...process.env, ...unitEnv, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
  // Logs go to journald on the box, not to the SD card's data folder: they are not counted here.
  stdio: ['ignore', 'ignore', 'pipe'],
});
const pid = child.pid;
if (pid === undefined) throw new Error('gateway did not start');
let stderr = '';
child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
const started = Date.now();
while (!stderr.includes('is running.')) {
  if (child.exitCode !== null || Date.now() - started > 120_000) throw new Error(`gateway did not become ready:\n${stderr}`);
  await new Promise((r) => setTimeout(r, 100));
}
const atReady = await writeBytes(pid);
process.stderr.write(`gateway ready (${((Date.now() - started) / 1000).toFixed(1)} s, ${(atReady / 1024).toFixed(0)} KiB written at start-up); measuring for ${minutes} min\n`);

const perFolder = new Map<string, number>();
let previous = await snapshot(dataDir);
const end = Date.now() + minutes * 60_000;
while (Date.now() < end) {
  await new Promise((r) => setTimeout(r, SAMPLE_MS));
  const current = await snapshot(dataDir);
  for (const [path, now] of current) {
    const before = previous.get(path);
    const written = before && before.ino === now.ino ? Math.max(0, now.size - before.size) : now.size;
    if (written > 0) perFolder.set(folderOf(dataDir, path), (perFolder.get(folderOf(dataDir, path)) ?? 0) + written);
  }
  previous = current;
}
const total = (await writeBytes(pid)) - atReady;
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
if (!values.keep) await rm(dataDir, { recursive: true, force: true });

const perHour = (bytes: number) => (bytes * 60) / minutes;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
const rows = [...perFolder.entries()].sort((a, b) => b[1] - a[1]).map(([folder, bytes]) => ({ folder, perHour: mib(perHour(bytes)) }));
const result = {
  minutes,
  penSpeed,
  startupKiB: Math.round(atReady / 1024),
  writeBytesPerHour: Math.round(perHour(total)),
  writePerHour: mib(perHour(total)),
  writePerDay: mib(perHour(total) * 24),
  filesPerHourEstimate: mib(perHour([...perFolder.values()].reduce((a, b) => a + b, 0))),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
console.table(rows);
if (values.keep) process.stdout.write(`data folder kept: ${dataDir}\n`);
