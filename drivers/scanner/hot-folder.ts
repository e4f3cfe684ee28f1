import { watch, type FSWatcher } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../gateway/log/logger.js';
import { imageKind } from './image-kind.js';
import { ScannerDevice, type BatchEnd, type PageSink, type ScanRequest } from './scanner.js';

export interface HotFolderOptions {
  id: string;
  logger: Logger;
  /** The folder the copier scans to (often a network share mounted on the box). */
  folder: string;
  /** A file is complete once its size has not changed for this long. */
  stableMs?: number;
  /** Files arriving within this gap belong to one batch. */
  batchGapMs?: number;
  /** Delete read files instead of moving them to `.done/`. */
  deleteAfterRead?: boolean;
  /** How often the folder is listed: network shares drop change events. */
  pollMs?: number;
}

const DONE = '.done';
const REJECTED = '.rejected';

/**
 * A copier's "scan to folder" as a scanner: the folder is always live, every complete image
 * becomes a page, and pages that come close together form a batch.
 */
export class HotFolderScanner extends ScannerDevice {
  private watcher: FSWatcher | null = null;
  private poller: NodeJS.Timeout | null = null;
  private readonly sizes = new Map<string, { size: number; since: number }>();
  private sweeping: Promise<void> | null = null;
  private batch: { deliver: PageSink; lastPageAt: number; end: (end: BatchEnd) => void } | null = null;

  constructor(private readonly opts: HotFolderOptions) {
    super({ id: opts.id, transport: 'real', logger: opts.logger });
  }

  protected override async onStart(): Promise<void> {
    await mkdir(join(this.opts.folder, DONE), { recursive: true });
    await mkdir(join(this.opts.folder, REJECTED), { recursive: true });
    this.watcher = watch(this.opts.folder, () => void this.sweep());
    this.watcher.on('error', (err) => this.logger.warn({ err }, 'hot folder watch failed; polling only'));
    this.poller = setInterval(() => void this.sweep(), this.opts.pollMs ?? 500);
    this.setState('ready', `watching ${this.opts.folder}`);
  }

  protected override async onStop(): Promise<void> {
    this.watcher?.close();
    if (this.poller) clearInterval(this.poller);
    this.watcher = null;
    this.poller = null;
    await super.onStop();
  }

  /** Pages that arrive while no scan() is waiting start a batch of their own. */
  protected override runBatch(_request: ScanRequest, signal: AbortSignal, deliver: PageSink): Promise<BatchEnd> {
    return new Promise<BatchEnd>((resolve) => {
      this.batch = { deliver, lastPageAt: Date.now(), end: resolve };
      signal.addEventListener('abort', () => this.endBatch({ outcome: 'cancelled', message: 'stopped waiting for the copier' }), { once: true });
    });
  }

  private endBatch(end: BatchEnd): void {
    const batch = this.batch;
    this.batch = null;
    batch?.end(end);
  }

  private sweep(): Promise<void> {
    this.sweeping ??= this.sweepOnce()
      .catch((err: unknown) => this.logger.error({ err }, 'hot folder sweep failed'))
      .finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  private async sweepOnce(): Promise<void> {
    const now = Date.now();
    const names = (await readdir(this.opts.folder, { withFileTypes: true })).filter((e) => e.isFile() && !e.name.startsWith('.')).map((e) => e.name).sort();
    for (const name of names) {
      const { size } = await stat(join(this.opts.folder, name));
      const seen = this.sizes.get(name);
      if (!seen || seen.size !== size) {
        this.sizes.set(name, { size, since: now });
        continue;
      }
      if (size > 0 && now - seen.since >= (this.opts.stableMs ?? 1000)) {
        this.sizes.delete(name);
        await this.take(name);
      }
    }
    const gap = this.opts.batchGapMs ?? 10_000;
    if (this.batch && this.batch.lastPageAt > 0 && now - this.batch.lastPageAt >= gap && this.info().state === 'busy') {
      this.endBatch({ outcome: 'completed', message: 'no more pages from the copier' });
    }
  }

  private async take(name: string): Promise<void> {
    const path = join(this.opts.folder, name);
    const handle = await open(path, 'r');
    const head = Buffer.alloc(8);
    await handle.read(head, 0, 8, 0).finally(() => handle.close());
    const kind = imageKind(head);
    if (kind === null || kind === 'pdf') {
      await rename(path, join(this.opts.folder, REJECTED, name));
      const message = kind === 'pdf' ? `${name}: PDF scans are not supported yet: set the copier to JPEG or TIFF` : `${name} is not an image (JPEG, PNG, TIFF or PNM): moved to ${REJECTED}/`;
      this.emitEvent('file-rejected', 'warning', message, { file: name });
      return;
    }
    const image = await readFile(path);
    if (!this.batch) void this.scan().catch((err: unknown) => this.logger.error({ err }, 'hot folder batch failed'));
    const batch = this.batch as { deliver: PageSink; lastPageAt: number } | null;
    batch?.deliver({ image, format: kind, dpi: null, side: 'front', source: 'hot-folder', fileName: name });
    if (batch) batch.lastPageAt = Date.now();
    if (this.opts.deleteAfterRead) await unlink(path);
    else await rename(path, join(this.opts.folder, DONE, name));
  }
}
