/**
 * A simulated classroom pen hub on a serial port, for testing the gateway end to end:
 *
 *   socat -d -d pty,raw,echo=0,link=/tmp/hub pty,raw,echo=0,link=/tmp/host &
 *   node --import tsx scripts/pens/simulate-hub.ts --port /tmp/hub --pens 40 [--faults] [--seconds 60] [--seed 1]
 *     [--class <gateway data dir> [--time-scale 30] [--pause-ms N]] [--tick-ms 8]
 *
 * and point a `pen-hub` device (transport real) at /tmp/host. With --class the pens are the
 * students of the gateway's example class writing its assignment on the pages its paper map
 * records (start the gateway once first, so it has recorded them); otherwise they scribble.
 * --pause-ms sets every pause between strokes, for load: 20 keeps each pen writing at ~120 Hz;
 * --tick-ms 1 sends each frame within a millisecond of its time stamp, for latency measurements.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import type { PenScript } from '../../drivers/pen-hub/pen-hub.js';
import { loadHomeworkLibrary } from '../../gateway/homework/library.js';
import { silentLogger } from '../../gateway/log/logger.js';
import { demoPenScripts } from '../../gateway/pens/demo/demo-pens.js';
import { loadPaperMap } from '../../gateway/pens/paper/paper-map-file.js';
import { paperMapPath } from '../../gateway/pens/paper/paper-setup.js';
import { runHubOnPort } from './hub-on-port.js';

function wholeNumber(name: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name}: a whole number from ${min} to ${max}; found "${text}"`);
  return n;
}

/** The example class of the gateway whose data dir is given, writing its first assignment. */
async function classScripts(dataDir: string, pens: number, timeScale: number): Promise<PenScript[]> {
  const library = await loadHomeworkLibrary(dataDir, silentLogger());
  const assignment = library.assignments.find((a) => a.class && library.rosters.has(a.class));
  if (!assignment) throw new Error(`--class: no assignment with a class roster in ${dataDir}/assignments`);
  const map = await loadPaperMap(paperMapPath(dataDir));
  return demoPenScripts(assignment, library.rosters.get(assignment.class!)!, map)(pens, timeScale);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, pens: { type: 'string', default: '40' }, faults: { type: 'boolean', default: false }, seconds: { type: 'string', default: '60' }, seed: { type: 'string', default: '1' }, class: { type: 'string' }, 'time-scale': { type: 'string', default: '30' }, 'pause-ms': { type: 'string' }, 'tick-ms': { type: 'string', default: '8' } },
  });
  if (!values.port) throw new Error('--port is required: the serial port to write the hub traffic into, e.g. /dev/pts/3');
  const seconds = wholeNumber('seconds', values.seconds, 1, 86_400);
  const pens = wholeNumber('pens', values.pens, 1, 64);
  let scripts = values.class ? await classScripts(values.class, pens, wholeNumber('time-scale', values['time-scale'], 1, 1000)) : undefined;
  const pauseMs = values['pause-ms'];
  if (scripts && pauseMs !== undefined) {
    const pause = wholeNumber('pause-ms', pauseMs, 0, 600_000);
    scripts = scripts.map((s) => ({ ...s, strokes: s.strokes.map((st) => ({ ...st, pauseBeforeMs: pause })) }));
  }
  const hub = await runHubOnPort({ port: values.port, pens, faults: values.faults, seed: wholeNumber('seed', values.seed, 0, 2 ** 32 - 1), tickMs: wholeNumber('tick-ms', values['tick-ms'], 1, 1000), ...(scripts ? { scripts } : {}) });
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, seconds * 1000);
    process.once('SIGINT', () => (clearTimeout(timer), resolve()));
  });
  await done;
  const s = await hub.stop();
  console.log(
    `simulated ${s.pens} pens for ${seconds} s: ${s.strokes} strokes, ${s.dots} dots, ${s.bytesOut} bytes written, ${s.bytesIn} bytes read; ` +
      `faults: ${s.garbageBytes} garbage bytes, ${s.droppedFrames} dropped, ${s.truncatedFrames} truncated frames, ${s.corruptEnvelopes} corrupt envelopes, ${s.disconnects} disconnects`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
