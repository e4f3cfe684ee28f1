/**
 * A simulated classroom pen hub on a serial port, for testing the gateway end to end:
 *
 *   socat -d -d pty,raw,echo=0,link=/tmp/hub pty,raw,echo=0,link=/tmp/host &
 *   node --import tsx scripts/pens/simulate-hub.ts --port /tmp/hub --pens 40 [--faults] [--seconds 60] [--seed 1]
 *
 * and point a `pen-hub` device (transport real) at /tmp/host.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { runHubOnPort } from './hub-on-port.js';

function wholeNumber(name: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name}: a whole number from ${min} to ${max}; found "${text}"`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, pens: { type: 'string', default: '40' }, faults: { type: 'boolean', default: false }, seconds: { type: 'string', default: '60' }, seed: { type: 'string', default: '1' } },
  });
  if (!values.port) throw new Error('--port is required: the serial port to write the hub traffic into, e.g. /dev/pts/3');
  const seconds = wholeNumber('seconds', values.seconds, 1, 86_400);
  const hub = await runHubOnPort({ port: values.port, pens: wholeNumber('pens', values.pens, 1, 64), faults: values.faults, seed: wholeNumber('seed', values.seed, 0, 2 ** 32 - 1) });
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
