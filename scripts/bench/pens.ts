/**
 * npm run bench:pens — the pen path's figures on this machine, one JSON object on the last line:
 * the parser's dots/s on one core, and for 40 pens writing at 120 Hz into a real pty (socat), the
 * latency from a stroke's pen-up to its message on the local bus (p50/p99), the CPU share of one
 * core and the RSS of the receiving side (hub driver, stroke builder, stroke journal, page reading,
 * bus), and how fast the stroke journal grows on the card.
 *
 * The latency is measured, by a subscriber in a process of its own (stroke-latency-probe.ts),
 * against the pen-up time the simulated pen stamps on its frame; the
 * simulated hub runs a 1 ms tick, so the frame is written within about a millisecond of it.
 *
 * BENCH_PENS (default 40) and BENCH_PENS_SECONDS (default 30) change the class size and the window:
 * with one pen the figure is mostly the fixed cost of reading the port.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { penHubDriver } from '../../drivers/pen-hub/index.js';
import { parseThroughput } from '../../drivers/pen-hub/sim/throughput.js';
import { createLocalBus } from '../../gateway/bus/local-bus.js';
import { ContractValidator } from '../../gateway/contract/validator.js';
import { DeviceRegistry } from '../../gateway/devices/registry.js';
import { loadHomeworkLibrary } from '../../gateway/homework/library.js';
import { OCR_LINE_HEIGHT, recogniseLine } from '../../gateway/homework/read/digit-ocr.js';
import { silentLogger } from '../../gateway/log/logger.js';
import { Publisher } from '../../gateway/messaging/publisher.js';
import { RecentMessages } from '../../gateway/messaging/recent-messages.js';
import { openPaperMap } from '../../gateway/pens/paper/paper-setup.js';
import { PenHomework } from '../../gateway/pens/pen-homework.js';
import { PipelineCounters } from '../../gateway/telemetry/counters.js';
import { freePort } from '../../gateway/test-support/free-port.js';
import { socatPtyPair } from '../../gateway/test-support/pty-pair.js';
import { Outbox } from '../../gateway/uplink/outbox/outbox.js';
import { percentile } from '../../gateway/util/percentile.js';
import { projectRoot } from '../../gateway/util/project-root.js';

const PENS = Number(process.env.BENCH_PENS ?? 40);
/**
 * The figures are an evening's steady state, not start-up: V8 goes on optimising the page reader and
 * the journal (which run a few times a second) for a minute. Share of the samples that were the
 * optimising compiler, measured with perf: 9 % at 20–45 s, 5–6 % at 40–70 s, 1.3 % at 75–105 s.
 */
const WARMUP_S = 60;
const MEASURE_S = Number(process.env.BENCH_PENS_SECONDS ?? 30);
const BASE = 'classroom/bench/room/gw';
const logger = silentLogger();

/** Bytes the stroke journal holds on the card so far. */
function journalBytes(dir: string): number {
  return readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

/** CPU ticks per thread of this process (Linux), to say which thread a CPU figure comes from. */
function threadTicks(): Map<string, number> {
  const ticks = new Map<string, number>();
  try {
    for (const task of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks.set(`${task === String(process.pid) ? 'main' : name}#${task}`, Number(fields[11]) + Number(fields[12]));
    }
  } catch {
    // Not Linux: the per-thread split is left out.
  }
  return ticks;
}

const parser = parseThroughput();
console.log(`parser: ${parser.dots} dots in ${parser.seconds.toFixed(2)} s = ${parser.dotsPerSecond} dots/s (${parser.megabytesPerSecond.toFixed(1)} MB/s) on one core`);

// The digit recogniser loads its model on first use (a second of CPU): loaded here, not in the window.
await recogniseLine(new Uint8Array(48 * OCR_LINE_HEIGHT).fill(255), 48, '0123456789');
const dataDir = await mkdtemp(join(tmpdir(), 'bench-pens-'));
const library = await loadHomeworkLibrary(dataDir, logger);
const assignment = library.assignments.find((a) => a.class && library.rosters.has(a.class))!;
const paper = await openPaperMap(dataDir, { assignment, roster: library.rosters.get(assignment.class!)! });
const journalDir = join(dataDir, 'pens', 'journal');
const pty = await socatPtyPair();
const outbox = await Outbox.open({ dir: join(dataDir, 'outbox'), logger, maxBytes: 512 * 1024 * 1024 });
const busPort = await freePort();
const bus = await createLocalBus({ baseTopic: BASE, loopback: { host: '127.0.0.1', port: busPort, allowAnonymous: true }, users: [], logger });
const publisher = new Publisher({ baseTopic: BASE, outbox, bus, mirrorToBus: true, validator: new ContractValidator(), recent: new RecentMessages(), logger });
const devices = new DeviceRegistry({ logger });
devices.registerDriver('pen-hub', penHubDriver());
devices.load([{ id: 'pen-hub-1', kind: 'pen-hub', transport: 'real', options: { path: pty.host } }]);
const settings = { students: [], teacherPens: [], idleAfterSeconds: 60, breakAfterMinutes: 15, pageSettleSeconds: 20 };
const counters = new PipelineCounters();
const pens = new PenHomework({ devices, publisher, counters, assignments: library.assignments, paperMap: paper.map, settings: () => settings, journalDir, logger });
await pens.start();
await devices.startAll();

const loader = pathToFileURL(join(projectRoot(), 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const probe = spawn(process.execPath, ['--import', loader, join(projectRoot(), 'scripts', 'bench', 'stroke-latency-probe.ts'), `mqtt://127.0.0.1:${busPort}`, `${BASE}/pens/stroke`], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
// The probe says one line when subscribed, and one line of latencies when told to stop.
const probeLines = createInterface({ input: probe.stdout })[Symbol.asyncIterator]();
await probeLines.next();

// The class writes its homework without pausing between strokes: every pen at ~120 dots/s.
const simulator = spawn(
  process.execPath,
  ['--import', loader, join(projectRoot(), 'scripts', 'pens', 'simulate-hub.ts'), '--port', pty.hub, '--pens', String(PENS), '--class', dataDir, '--time-scale', '1', '--pause-ms', '15', '--tick-ms', '1', '--seconds', String(WARMUP_S + MEASURE_S + 5)],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
let simulatorSummary = '';
simulator.stdout.on('data', (d: Buffer) => (simulatorSummary += d.toString()));

await new Promise((r) => setTimeout(r, WARMUP_S * 1000));
const strokesBefore = counters.snapshot().pens?.strokes ?? 0;
const hub = devices.get('pen-hub-1') as unknown as { stats(): { frames: number } };
const framesBefore = hub.stats().frames;
probe.kill('SIGUSR1');
const journalBefore = journalBytes(journalDir);
const threadsBefore = threadTicks();
const cpuBefore = process.cpuUsage();
const wallBefore = process.hrtime.bigint();
await new Promise((r) => setTimeout(r, MEASURE_S * 1000));
const cpu = process.cpuUsage(cpuBefore);
const busiestThreads = [...threadTicks()]
  .map(([name, t]) => [name, t - (threadsBefore.get(name) ?? 0)] as const)
  .sort((a, b) => b[1] - a[1])
  .slice(0, 4);
const wall = Number(process.hrtime.bigint() - wallBefore) / 1e9;
const journalMBPerHour = (((journalBytes(journalDir) - journalBefore) / wall) * 3600) / 1e6;
probe.kill('SIGTERM');
const latencies = JSON.parse(String((await probeLines.next()).value)) as number[];
const frames = hub.stats().frames - framesBefore;
const strokes = (counters.snapshot().pens?.strokes ?? 0) - strokesBefore;
const memory = process.memoryUsage();
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const rssMB = mb(memory.rss);

await new Promise<void>((resolve) => simulator.once('exit', () => resolve()));
await pens.stop();
await devices.stopAll();
await bus.close();
await outbox.close();
await pty.close();
await rm(dataDir, { recursive: true, force: true });

const cpuShare = (cpu.user + cpu.system) / 1e6 / wall;
console.log(simulatorSummary.trim());
console.log(`busiest threads in the window (CPU s): ${busiestThreads.map(([n, t]) => `${n} ${(t / 100).toFixed(2)}`).join(', ')}`);
console.log(`live: ${PENS} pens through a pty for ${wall.toFixed(1)} s: ${frames} pen frames (${(frames / wall).toFixed(0)}/s), ${strokes} strokes; pen-up → local bus p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms over ${latencies.length} strokes; CPU ${(cpuShare * 100).toFixed(1)} % of one core (user ${((cpu.user / 1e6 / wall) * 100).toFixed(1)} %, kernel ${((cpu.system / 1e6 / wall) * 100).toFixed(1)} %); RSS ${rssMB} MB (JS heap ${mb(memory.heapUsed)} of ${mb(memory.heapTotal)} MB, array buffers ${mb(memory.arrayBuffers)} MB, the rest native: the OCR model, libvips, the allocator); stroke journal ${journalMBPerHour.toFixed(0)} MB per hour of this writing`);
console.log(
  JSON.stringify({
    parserDotsPerSecond: parser.dotsPerSecond,
    pens: PENS,
    penFramesPerSecond: Math.round(frames / wall),
    strokes,
    latencyMsP50: percentile(latencies, 50),
    latencyMsP99: percentile(latencies, 99),
    cpuPercentOfOneCore: Number((cpuShare * 100).toFixed(1)),
    rssMB,
    journalMBPerHour: Math.round(journalMBPerHour),
  }),
);
process.exit(0);
