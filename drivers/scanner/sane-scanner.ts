import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Logger } from '../../gateway/log/logger.js';
import { pressedButtons } from './button.js';
import { runScanimage, SCANIMAGE } from './scanimage.js';
import { ScannerDevice, type BatchEnd, type BatchOutcome, type PageSink, type ScanRequest } from './scanner.js';

export interface SaneScannerOptions {
  id: string;
  logger: Logger;
  /** SANE device name (`scanimage -L`), e.g. `fujitsu:fi-7160:1234` or `test`; default: the first found. */
  device?: string;
  resolution?: number;
  mode?: 'gray' | 'color';
  /** Source names as the device calls them; default: discovered from `scanimage -A`. */
  feederSource?: string;
  duplexSource?: string;
  /** Watch the scanner's own buttons (SANE sensor options) and start a scan when one is pressed. */
  pollButtonMs?: number;
  /** Backend-specific scanimage options, e.g. `--page-height 297` (and, in tests, the test backend's `--read-return-value`). */
  extraArgs?: string[];
}

/** What scanimage says on stderr when sane_read fails, and what that means for the batch. */
const READ_FAILURES: [RegExp, BatchOutcome, string][] = [
  [/feeder jammed/i, 'jammed', 'paper jam: open the feeder and remove the sheet'],
  [/out of documents|no documents/i, 'feeder-empty', 'feeder empty'],
  [/cover is open/i, 'cover-open', 'scanner cover open: close it and scan again'],
  [/open of device .* failed|no such device|device .* not found/i, 'device-gone', 'scanner not found: is it switched on and plugged in?'],
  [/Error during device I\/O|device busy/i, 'failed', 'scanner I/O error'],
];

/** After scanimage says the batch ended, how long it may take to exit (some backends hang). */
const EXIT_GRACE_MS = 2000;

/** A real scanner through SANE's `scanimage`, batch mode, each page handed on when written. */
export class SaneScanner extends ScannerDevice {
  private device: string | undefined;
  private sources: string[] = [];

  constructor(private readonly opts: SaneScannerOptions) {
    super({ id: opts.id, transport: 'real', logger: opts.logger });
  }

  protected override async onStart(): Promise<void> {
    this.device = this.opts.device ?? (await firstDevice());
    const options = await runScanimage(['-d', this.device, '-A'], 15_000);
    if (options.code !== 0 && !/All options specific to device/.test(options.stdout)) {
      throw new Error(`scanner ${this.device} did not answer: ${options.stderr.trim() || `exit ${options.code}`}`);
    }
    this.sources = parseSources(options.stdout);
    if (this.opts.pollButtonMs) this.watchButtons(this.opts.pollButtonMs);
    this.setState('ready', `${this.device}${this.feeder() ? ` (${this.feeder()})` : ''}`);
  }

  private buttonTimer: NodeJS.Timeout | null = null;

  /** Polls only while idle: SANE devices cannot answer option queries in the middle of a scan. */
  private watchButtons(everyMs: number): void {
    const poll = async () => {
      if (this.info().state !== 'ready' || !this.device) return;
      const { stdout } = await runScanimage(['-d', this.device, '-A'], 5000);
      const pressed = pressedButtons(stdout);
      if (pressed.length > 0 && this.info().state === 'ready') {
        this.emitEvent('button', 'info', `scanner button ${pressed.join(', ')} pressed: scanning`);
        await this.scan().catch((err: unknown) => this.logger.warn({ err }, 'scan from the scanner button failed'));
      }
    };
    this.buttonTimer = setInterval(() => void poll().catch((err: unknown) => this.logger.debug({ err }, 'button poll failed')), everyMs);
    this.buttonTimer.unref();
  }

  protected override async onStop(): Promise<void> {
    if (this.buttonTimer) clearInterval(this.buttonTimer);
    this.buttonTimer = null;
    await super.onStop();
  }

  protected override async runBatch(request: ScanRequest, signal: AbortSignal, deliver: PageSink): Promise<BatchEnd> {
    const dir = await mkdtemp(join(tmpdir(), 'scan-'));
    try {
      return await this.scanInto(dir, request, signal, deliver);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private feeder(duplex = false): string | undefined {
    if (duplex) return this.opts.duplexSource ?? this.sources.find((s) => /duplex/i.test(s));
    return this.opts.feederSource ?? this.sources.find((s) => /feeder|adf/i.test(s) && !/duplex/i.test(s));
  }

  private async scanInto(dir: string, request: ScanRequest, signal: AbortSignal, deliver: PageSink): Promise<BatchEnd> {
    const resolution = request.resolution ?? this.opts.resolution ?? 200;
    const source = this.feeder(request.duplex === true);
    if (request.duplex && !source) {
      // Scanning only the fronts, or the flatbed, would look like a finished batch with half the work missing.
      return { outcome: 'failed', message: `duplex was asked for, but ${this.device ?? 'the scanner'} offers no duplex source (it has: ${this.sources.join(', ') || 'no source option'}); set options.duplexSource if it is named differently` };
    }
    const args = ['-d', this.device ?? 'test', '--resolution', String(resolution), '--mode', (request.mode ?? this.opts.mode) === 'color' ? 'Color' : 'Gray', '--format=png', `--batch=${join(dir, 'page-%d.png')}`, '--batch-print'];
    if (source) args.push('--source', source);
    if (request.maxPages) args.push(`--batch-count=${request.maxPages}`);
    args.push(...(this.opts.extraArgs ?? []));
    const child = spawn(SCANIMAGE, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let pages = 0;
    let graceTimer: NodeJS.Timeout | undefined;
    const kill = () => {
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 1000).unref();
    };
    signal.addEventListener('abort', kill, { once: true });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (/Batch terminated/.test(stderr) && !graceTimer) graceTimer = setTimeout(kill, EXIT_GRACE_MS);
    });
    // Pages are read one after another, in the order scanimage finished them.
    let reading = Promise.resolve();
    createInterface({ input: child.stdout }).on('line', (line) => {
      const file = line.trim();
      if (!isAbsolute(file)) return;
      reading = reading.then(async () => {
        const image = await readFile(file);
        await unlink(file);
        pages += 1;
        deliver({ image, format: 'png', dpi: resolution, side: request.duplex && pages % 2 === 0 ? 'back' : 'front', source: 'sane' });
      });
    });
    const [code, spawnError] = await new Promise<[number | null, Error | null]>((resolve) => {
      child.once('error', (err) => resolve([null, err]));
      child.once('close', (c) => resolve([c, null]));
    });
    clearTimeout(graceTimer);
    signal.removeEventListener('abort', kill);
    await reading;
    if (spawnError) return { outcome: 'device-gone', message: `${SCANIMAGE} could not run: ${spawnError.message}` };
    if (signal.aborted) return { outcome: 'cancelled', message: 'scan cancelled' };
    for (const [pattern, outcome, message] of READ_FAILURES) {
      if (pattern.test(stderr)) return { outcome, message: outcome === 'feeder-empty' && pages === 0 ? 'no paper in the feeder' : message };
    }
    if (code === 0) return { outcome: request.maxPages && pages >= request.maxPages ? 'completed' : 'feeder-empty', message: 'batch done' };
    return { outcome: 'failed', message: `scanimage exited with ${code}: ${lastLine(stderr)}` };
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '';
}

async function firstDevice(): Promise<string> {
  const list = await runScanimage(['-f', '%d%n'], 20_000);
  const first = list.stdout.split('\n').map((l) => l.trim()).find(Boolean);
  if (!first) throw new Error('no scanner found by SANE (scanimage -L): check the USB cable and power, or set options.device');
  return first;
}

/** The `--source` choices from `scanimage -A`, e.g. ["Flatbed", "Automatic Document Feeder"]. */
export function parseSources(help: string): string[] {
  const match = /--source ([^\n[]+)/.exec(help);
  return match ? match[1]!.trim().split('|').map((s) => s.trim()) : [];
}
