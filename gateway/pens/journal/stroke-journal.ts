import { mkdir, open, readdir, readFile, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deflateRaw, inflateRawSync } from 'node:zlib';
import type { Logger } from '../../log/logger.js';
import { errorMessage } from '../../devices/device.js';
import { encodeFrame, scanFrames } from '../../uplink/outbox/segment-file.js';
import type { Stroke } from '../strokes/stroke.js';
import { BATCH_KINDS, decodeRecord, encodePageSent, encodeStroke, KIND_BATCH, RECORD_KINDS, type JournalRecord, type PageSent } from './stroke-codec.js';

const deflate = promisify(deflateRaw);

export interface StrokeJournalOptions {
  dir: string;
  logger: Logger;
  /** Records older than this are not replayed, and files holding only such records are deleted. */
  keepMs: number;
  /** A new file is begun this often, so old ones can be deleted whole. */
  fileEveryMs?: number;
  /** Written bytes are forced to the card this often: a power cut loses at most this much writing. */
  syncEveryMs?: number;
  /** Held in memory while the card refuses writes (full, read-only); beyond it strokes go unjournaled. */
  maxPendingBytes?: number;
  now?: () => number;
}

const NAME_RE = /^(\d{15})\.strokes$/;
const DEFAULT_MAX_PENDING = 16 * 1024 * 1024;
/** A batch never holds more than the pending limit; anything claiming more is damage. */
const MAX_BATCH_BYTES = 2 * DEFAULT_MAX_PENDING;
const RETRY_FAILED_MS = 5_000;
const fileName = (startedAt: number) => `${String(startedAt).padStart(15, '0')}.strokes`;

/**
 * Every finished pen stroke, and every page's answers sent, appended to files in the data folder,
 * so a gateway that crashes or loses power mid-homework rebuilds its pages, progress and homework
 * time from them instead of losing the evening's writing. Writes are gathered and made once a
 * second (flush), as one compressed batch, and synced to the card every few seconds: a crashed
 * process loses at most the last second, a power cut the last sync interval. The framing (length,
 * CRC-32C) is the outbox's, for the batches on the card and the records inside them.
 */
export class StrokeJournal {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private file: { handle: FileHandle; startedAt: number } | null = null;
  private lastSyncAt = 0;
  private writing: Promise<void> = Promise.resolve();
  private failing: string | null = null;
  private failedAt = 0;
  private readonly maxPending: number;
  /** Records that could not be journaled (the card refused them for too long). */
  dropped = 0;

  private constructor(private readonly opts: StrokeJournalOptions) {
    // Never beyond the default: a batch larger than that is refused as damage on replay.
    this.maxPending = Math.min(opts.maxPendingBytes ?? DEFAULT_MAX_PENDING, DEFAULT_MAX_PENDING);
  }

  /** Opens the folder and returns what it holds that is still recent enough, oldest first. */
  static async open(opts: StrokeJournalOptions): Promise<{ journal: StrokeJournal; records: JournalRecord[] }> {
    await mkdir(opts.dir, { recursive: true });
    const journal = new StrokeJournal(opts);
    const records = await journal.replay();
    return { journal, records };
  }

  appendStroke(stroke: Stroke): void {
    this.append(encodeStroke(stroke));
  }

  appendPageSent(sent: PageSent): void {
    this.append(encodePageSent(sent));
  }

  /** Writes what was appended since the last flush (one write), syncing when the interval is up. */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.writePending(false));
    return this.writing;
  }

  /** A last try to write everything held, even while the card has been refusing writes. */
  async close(): Promise<void> {
    this.writing = this.writing.then(() => this.writePending(true));
    await this.writing;
    await this.closeFile();
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  private append(body: Buffer): void {
    const frame = encodeFrame(body);
    if (this.pendingBytes + frame.length > this.maxPending) {
      if (this.dropped++ === 0) this.opts.logger.error({ dir: this.opts.dir, pendingBytes: this.pendingBytes }, 'pen strokes are no longer journaled: the card has refused writes for too long; a restart now would lose them');
      return;
    }
    this.pending.push(frame);
    this.pendingBytes += frame.length;
  }

  private async writePending(lastTry: boolean): Promise<void> {
    if (this.pending.length === 0) return;
    const now = this.now();
    // While the card refuses writes, try again every few seconds, not at every flush: each try
    // packs everything held so far (up to 16 MB) again.
    if (this.failing && !lastTry && now - this.failedAt < RETRY_FAILED_MS) return;
    try {
      // Records appended while this batch is packed and written wait for the next flush.
      const batch = this.pending.slice();
      const file = await this.currentFile(now);
      const packed = await deflate(Buffer.concat(batch));
      await file.handle.write(encodeFrame(Buffer.concat([Buffer.from([KIND_BATCH]), packed])));
      // Taken off only once written: a refused write is tried again at the next flush.
      this.pending.splice(0, batch.length);
      this.pendingBytes -= batch.reduce((n, b) => n + b.length, 0);
      if (now - this.lastSyncAt >= (this.opts.syncEveryMs ?? 5_000)) {
        await file.handle.datasync();
        this.lastSyncAt = now;
      }
      if (this.failing) this.opts.logger.info({ dir: this.opts.dir }, 'pen stroke journal writes again');
      this.failing = null;
    } catch (err) {
      const reason = errorMessage(err);
      if (this.failing !== reason) this.opts.logger.error({ err, dir: this.opts.dir, pendingBytes: this.pendingBytes }, `pen strokes cannot be journaled (${reason}): they are kept in memory, but a restart now would lose the pages being written`);
      this.failing = reason;
      this.failedAt = now;
      // A file that failed mid-write may end in a torn frame; the next write starts a new file.
      await this.closeFile();
    }
  }

  private async currentFile(now: number): Promise<{ handle: FileHandle; startedAt: number }> {
    if (this.file && now - this.file.startedAt < (this.opts.fileEveryMs ?? 3_600_000)) return this.file;
    await this.closeFile();
    await this.deleteOld(now);
    const handle = await open(join(this.opts.dir, fileName(now)), 'a');
    this.file = { handle, startedAt: now };
    return this.file;
  }

  private async closeFile(): Promise<void> {
    const file = this.file;
    this.file = null;
    if (!file) return;
    await file.handle.sync().catch(() => undefined);
    await file.handle.close().catch(() => undefined);
  }

  /** Journal files by start time, oldest first. */
  private async files(): Promise<{ name: string; startedAt: number }[]> {
    const names = await readdir(this.opts.dir);
    return names
      .map((name) => ({ name, m: NAME_RE.exec(name) }))
      .filter((f): f is { name: string; m: RegExpExecArray } => f.m !== null)
      .map((f) => ({ name: f.name, startedAt: Number(f.m[1]) }))
      .sort((a, b) => a.startedAt - b.startedAt);
  }

  /** A file is old once the next one began before the cut-off: all its records are older still. */
  private async deleteOld(now: number): Promise<void> {
    const files = await this.files();
    const cutoff = now - this.opts.keepMs;
    for (let i = 0; i + 1 < files.length && files[i + 1]!.startedAt <= cutoff; i++) {
      await unlink(join(this.opts.dir, files[i]!.name)).catch((err: unknown) => this.opts.logger.warn({ err, file: files[i]!.name }, 'old pen stroke journal file not deleted'));
    }
  }

  private async replay(): Promise<JournalRecord[]> {
    const cutoff = this.now() - this.opts.keepMs;
    const records: JournalRecord[] = [];
    const files = await this.files();
    for (let i = 0; i < files.length; i++) {
      if (i + 1 < files.length && files[i + 1]!.startedAt <= cutoff) continue;
      const { name } = files[i]!;
      const buf = await readFile(join(this.opts.dir, name)).catch((err: unknown) => {
        this.opts.logger.error({ err, file: name }, 'pen stroke journal file could not be read: the writing in it is not restored');
        return null;
      });
      if (!buf) continue;
      let damaged = 0;
      const take = (body: Buffer) => {
        try {
          records.push(decodeRecord(body));
        } catch {
          damaged++;
        }
      };
      const scan = scanFrames(
        buf,
        (batch) => {
          let inner: Buffer;
          try {
            inner = inflateRawSync(batch.subarray(1), { maxOutputLength: MAX_BATCH_BYTES });
          } catch {
            return void damaged++;
          }
          const innerScan = scanFrames(inner, take, RECORD_KINDS);
          damaged += innerScan.skipped.length + (innerScan.tail ? 1 : 0);
        },
        BATCH_KINDS,
      );
      const lost = scan.skipped.length + (scan.tail ? 1 : 0) + damaged;
      // A torn tail is the write a crash interrupted: expected, and that batch was never complete on disk.
      if (lost) this.opts.logger.warn({ file: name, skipped: scan.skipped.length, tornTail: scan.tail !== null, undecodable: damaged }, 'pen stroke journal had damaged records; the rest was restored');
    }
    return records;
  }
}
