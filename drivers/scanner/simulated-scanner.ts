import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import type { Logger } from '../../gateway/log/logger.js';
import { ScannerDevice, type BatchEnd, type PageSink, type ScannedPage, type ScanRequest } from './scanner.js';

export interface SimulatedPage {
  image: Buffer;
  format: ScannedPage['format'];
  dpi: number | null;
}

/** Where simulated pages come from: the scan synthesiser's filled workbook pages, or plain ones. */
export type PageSource = (batchId: string, request: ScanRequest) => AsyncIterable<SimulatedPage>;

export interface SimulatedScannerOptions {
  id: string;
  logger: Logger;
  pageSource?: PageSource;
  /** Per page, like a 40 pages-per-minute feeder. */
  pageDelayMs?: number;
  /** Faults to show in demos and tests. */
  jamAfter?: number;
  emptyFeeder?: boolean;
  coverOpen?: boolean;
}

const DEFAULT_PAGES = 3;

/** Blank numbered A4 pages at 100 dpi: enough for the gateway's default demo to scan something. */
export async function* plainPages(_batchId: string, request: ScanRequest): AsyncIterable<SimulatedPage> {
  const dpi = 100;
  const [w, h] = [Math.round((210 / 25.4) * dpi), Math.round((297 / 25.4) * dpi)];
  for (let n = 1; n <= (request.maxPages ?? DEFAULT_PAGES); n++) {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="100%" height="100%" fill="white"/><text x="40" y="80" font-family="sans-serif" font-size="28">Simulated page ${n}</text></svg>`;
    yield { image: await sharp(Buffer.from(svg)).greyscale().png().toBuffer(), format: 'png', dpi };
  }
}

async function blankSide(dpi: number | null): Promise<SimulatedPage> {
  const [w, h] = [Math.round((210 / 25.4) * (dpi ?? 100)), Math.round((297 / 25.4) * (dpi ?? 100))];
  return { image: await sharp({ create: { width: w, height: h, channels: 3, background: '#fbfbf8' } }).jpeg().toBuffer(), format: 'jpeg', dpi };
}

/** A scanner with no hardware: same interface and events as the SANE one. */
export class SimulatedScanner extends ScannerDevice {
  constructor(private readonly opts: SimulatedScannerOptions) {
    super({ id: opts.id, transport: 'simulated', logger: opts.logger });
  }

  protected override async onStart(): Promise<void> {
    if (this.opts.coverOpen) throw new Error('cover open: close the scanner cover');
  }

  protected override async runBatch(request: ScanRequest, signal: AbortSignal, deliver: PageSink): Promise<BatchEnd> {
    if (this.opts.emptyFeeder) return { outcome: 'feeder-empty', message: 'no paper in the feeder' };
    const source = (this.opts.pageSource ?? plainPages)('simulated', request);
    let delivered = 0;
    for await (const front of source) {
      // Workbook pages are printed on one side: in a duplex batch every back comes out blank.
      const sides: ScannedPage['side'][] = request.duplex ? ['front', 'back'] : ['front'];
      for (const side of sides) {
        try {
          await sleep(this.opts.pageDelayMs ?? 150, undefined, { signal });
        } catch {
          return { outcome: 'cancelled', message: 'scan cancelled' };
        }
        if (this.opts.jamAfter !== undefined && delivered >= this.opts.jamAfter) return { outcome: 'jammed', message: `paper jam after page ${delivered}: open the feeder and remove the sheet` };
        deliver({ ...(side === 'front' ? front : await blankSide(front.dpi)), side, source: 'simulated' });
        delivered += 1;
        if (request.maxPages !== undefined && delivered >= request.maxPages) return { outcome: 'completed', message: 'batch done' };
      }
    }
    return { outcome: 'feeder-empty', message: 'feeder empty: batch done' };
  }
}
