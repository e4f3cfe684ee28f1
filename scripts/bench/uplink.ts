/**
 * npm run bench:uplink — the uplink's figures on this machine, one JSON object on the last line:
 * durable messages/s (1 KB, fdatasync'd, group commit), replay rate of 100k queued messages to a
 * loopback mosquitto, start-to-ready seconds and idle RSS of the whole gateway with Node-RED.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../gateway/log/logger.js';
import { freePort } from '../../gateway/test-support/free-port.js';
import { startMosquitto } from '../../gateway/test-support/mosquitto.js';
import { Outbox } from '../../gateway/uplink/outbox/outbox.js';
import { Uplink } from '../../gateway/uplink/uplink.js';
import { projectRoot } from '../../gateway/util/project-root.js';

const logger = silentLogger();
const KB = Buffer.alloc(1000 - 120, 'x').toString(); // ~1 KB envelope once wrapped

async function durableRate(count: number, concurrency: number): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-outbox-'));
  const outbox = await Outbox.open({ dir, logger, maxBytes: 1024 * 1024 * 1024 });
  const started = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next += 1;
        await outbox.enqueue({ stream: 'bench/durable', schema: 'health/1', data: { pad: KB }, priority: 'result' });
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await outbox.close();
  await rm(dir, { recursive: true, force: true });
  return count / seconds;
}

async function replayRate(count: number): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-replay-'));
  const outbox = await Outbox.open({ dir, logger, maxBytes: 1024 * 1024 * 1024 });
  const batch: Promise<unknown>[] = [];
  for (let i = 0; i < count; i++) {
    batch.push(outbox.enqueue({ stream: 'bench/replay', schema: 'health/1', data: { pad: KB }, priority: 'result' }));
    if (batch.length === 1000) await Promise.all(batch.splice(0));
  }
  await Promise.all(batch);
  const broker = await startMosquitto({ extraConfig: ['max_inflight_messages 256'] });
  const uplink = new Uplink({ url: broker.url, gatewayId: 'bench', baseTopic: 'bench/s/c/g', version: 'bench', outbox, logger, inflight: 256 });
  const started = process.hrtime.bigint();
  uplink.start();
  while (outbox.stats().depthMessages > 0) await new Promise((r) => setTimeout(r, 20));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await uplink.stop({ flushTimeoutMs: 1000 });
  await outbox.close();
  await broker.dispose();
  await rm(dir, { recursive: true, force: true });
  return count / seconds;
}

/** Start-to-ready and RSS after 5 s idle, for the compiled gateway when built, else under tsx. */
async function startAndIdle(): Promise<{ readySeconds: number; idleRssMB: number; runtime: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-gateway-'));
  const settingsFile = join(dir, 'settings.json');
  const settings = { version: 2, web: { host: '127.0.0.1', port: await freePort() }, bus: { port: await freePort() } };
  await writeFile(settingsFile, JSON.stringify(settings));
  const compiled = join(projectRoot(), 'dist', 'gateway', 'main.js');
  const runtime = existsSync(compiled) ? 'node dist/gateway/main.js' : 'node --import tsx gateway/main.ts';
  const args = existsSync(compiled) ? [compiled] : ['--import', 'tsx', join(projectRoot(), 'gateway', 'main.ts')];
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [...args, 'start', '--config', settingsFile], { cwd: projectRoot(), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'info' } });
  let out = '';
  const ready = new Promise<number>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes('"gateway ready"')) resolve(Number(process.hrtime.bigint() - started) / 1e9);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', () => reject(new Error(`gateway exited before ready:\n${out}`)));
  });
  const readySeconds = await ready;
  await new Promise((r) => setTimeout(r, 5000));
  const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  await rm(dir, { recursive: true, force: true });
  return { readySeconds, idleRssMB: rssKb / 1024, runtime };
}

const durable = await durableRate(20_000, 256);
console.log(`durable: ${durable.toFixed(0)} msg/s (1 KB, fdatasync, group commit, 256 producers)`);
const replay = await replayRate(100_000);
console.log(`replay: ${replay.toFixed(0)} msg/s (100k queued, QoS 1, loopback mosquitto)`);
const gateway = await startAndIdle();
console.log(`start-to-ready: ${gateway.readySeconds.toFixed(2)} s, idle RSS ${gateway.idleRssMB.toFixed(0)} MB with Node-RED (${gateway.runtime})`);
console.log(
  JSON.stringify({
    durableMsgPerSec: Math.round(durable),
    replayMsgPerSec: Math.round(replay),
    startToReadySeconds: Number(gateway.readySeconds.toFixed(2)),
    idleRssMB: Math.round(gateway.idleRssMB),
    runtime: gateway.runtime,
    node: process.version,
  }),
);
