import { randomUUID } from 'node:crypto';
import { BaseDevice, errorMessage, type BaseDeviceOptions, type DeviceAction } from '../../gateway/devices/device.js';

/**
 * The scanner's one interface. SANE, a copier's hot folder and the simulator all implement it:
 * a batch hands each page on as soon as it is complete, never at the end of the batch.
 */
export interface ScannedPage {
  batchId: string;
  /** From 1 within the batch. */
  index: number;
  side: 'front' | 'back';
  image: Buffer;
  format: 'png' | 'jpeg' | 'tiff' | 'pnm';
  dpi: number | null;
  source: 'sane' | 'hot-folder' | 'simulated';
  receivedAt: string;
  fileName?: string;
}

export interface ScanRequest {
  resolution?: number;
  mode?: 'gray' | 'color';
  duplex?: boolean;
  maxPages?: number;
}

export type BatchOutcome = 'completed' | 'feeder-empty' | 'jammed' | 'cover-open' | 'device-gone' | 'cancelled' | 'failed';

export interface BatchSummary {
  batchId: string;
  pages: number;
  outcome: BatchOutcome;
  message: string;
}

export interface Scanner {
  scan(request?: ScanRequest): Promise<BatchSummary>;
  cancel(): Promise<void>;
  onPage(listener: (page: ScannedPage) => void): () => void;
}

/** What a transport reports when its batch ends; pages already handed on stay delivered. */
export interface BatchEnd {
  outcome: BatchOutcome;
  message: string;
}

export type PageSink = (page: Omit<ScannedPage, 'batchId' | 'index' | 'receivedAt'>) => void;

/**
 * Batch bookkeeping shared by every transport: one batch at a time, numbering, page fan-out,
 * the device state (busy while scanning) and the scan/cancel actions.
 */
export abstract class ScannerDevice extends BaseDevice implements Scanner {
  private readonly pageListeners = new Set<(page: ScannedPage) => void>();
  private running: { abort: AbortController; done: Promise<BatchSummary> } | null = null;

  constructor(options: Omit<BaseDeviceOptions, 'kind'>) {
    super({ ...options, kind: 'scanner' });
  }

  /** Scan until the feeder is empty, maxPages is reached, a fault occurs or `signal` aborts. */
  protected abstract runBatch(request: ScanRequest, signal: AbortSignal, deliver: PageSink): Promise<BatchEnd>;

  onPage(listener: (page: ScannedPage) => void): () => void {
    this.pageListeners.add(listener);
    return () => this.pageListeners.delete(listener);
  }

  override actions(): Readonly<Record<string, DeviceAction>> {
    return {
      scan: async (args) => this.scan(asScanRequest(args)),
      cancel: async () => {
        await this.cancel();
        return { cancelled: true };
      },
    };
  }

  scan(request: ScanRequest = {}): Promise<BatchSummary> {
    if (this.running) return Promise.reject(new Error('a scan is already running'));
    const state = this.info().state;
    if (state !== 'ready') return Promise.reject(new Error(`scanner ${this.id} is not ready (${state})`));
    const abort = new AbortController();
    const batchId = randomUUID();
    let pages = 0;
    const deliver: PageSink = (page) => {
      pages += 1;
      const full: ScannedPage = { ...page, batchId, index: pages, receivedAt: new Date().toISOString() };
      for (const listener of this.pageListeners) {
        try {
          listener(full);
        } catch (err) {
          this.logger.error({ err, batchId, page: pages }, 'a page listener failed');
        }
      }
    };
    this.setState('busy', 'scanning');
    const done = this.runBatch(request, abort.signal, deliver)
      .catch((err: unknown): BatchEnd => ({ outcome: 'failed', message: errorMessage(err) }))
      .then((end) => this.finish(batchId, pages, end));
    this.running = { abort, done };
    return done;
  }

  async cancel(): Promise<void> {
    const running = this.running;
    if (!running) return;
    running.abort.abort();
    await running.done;
  }

  protected override async onStop(): Promise<void> {
    await this.cancel();
  }

  private finish(batchId: string, pages: number, end: BatchEnd): BatchSummary {
    this.running = null;
    const summary: BatchSummary = { batchId, pages, ...end };
    const noPaper = end.outcome === 'feeder-empty' && pages === 0;
    const level = noPaper ? 'warning' : end.outcome === 'completed' || end.outcome === 'feeder-empty' || end.outcome === 'cancelled' ? 'info' : 'error';
    this.emitEvent(noPaper ? 'no-paper' : eventType(end.outcome), level, `${end.message} (${pages} page${pages === 1 ? '' : 's'})`, { batchId, pages });
    if (end.outcome === 'device-gone') this.setState('disconnected', end.message);
    else if (level !== 'info') this.setState('ready', `last batch: ${noPaper ? 'no paper' : end.outcome}`);
    else this.setState('ready');
    return summary;
  }
}

function eventType(outcome: BatchOutcome): string {
  switch (outcome) {
    case 'completed':
    case 'feeder-empty':
      return 'batch-done';
    case 'jammed':
      return 'paper-jam';
    default:
      return outcome;
  }
}

/** The `scan` action's arguments, checked: a request from MQTT or the web page is untrusted. */
export function asScanRequest(args: unknown): ScanRequest {
  if (args === undefined || args === null) return {};
  if (typeof args !== 'object' || Array.isArray(args)) throw new Error('scan arguments must be an object');
  const a = args as Record<string, unknown>;
  const request: ScanRequest = {};
  if (a.resolution !== undefined) {
    if (typeof a.resolution !== 'number' || !Number.isInteger(a.resolution) || a.resolution < 50 || a.resolution > 1200) throw new Error('resolution must be a whole number of dpi from 50 to 1200');
    request.resolution = a.resolution;
  }
  if (a.mode !== undefined) {
    if (a.mode !== 'gray' && a.mode !== 'color') throw new Error('mode must be "gray" or "color"');
    request.mode = a.mode;
  }
  if (a.duplex !== undefined) {
    if (typeof a.duplex !== 'boolean') throw new Error('duplex must be true or false');
    request.duplex = a.duplex;
  }
  if (a.maxPages !== undefined) {
    if (typeof a.maxPages !== 'number' || !Number.isInteger(a.maxPages) || a.maxPages < 1) throw new Error('maxPages must be a whole number ≥ 1');
    request.maxPages = a.maxPages;
  }
  return request;
}
