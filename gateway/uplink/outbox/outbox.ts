import { EventEmitter } from 'node:events';
import type { Logger } from '../../log/logger.js';
import { loadAckState, saveAckState } from './ack-state.js';
import { admits, pressureOf } from './capacity.js';
import { envelopeBytesAtMost } from './envelope.js';
import { GroupCommit } from './group-commit.js';
import { MESSAGE_HEADER_BYTES } from './record.js';
import type { IndexEntry, RecordIndex } from './record-index.js';
import { readRecords } from './record-reader.js';
import { recover } from './recovery.js';
import { FRAME_HEADER_BYTES } from './segment-file.js';
import { SegmentStore } from './segment-store.js';
import { OutboxFullError } from './types.js';
import type { OutboxInput, OutboxPressure, OutboxRecord, OutboxStats, Priority } from './types.js';

export interface OutboxOptions {
  /** Directory of the segment files and the ack cursor; one Outbox (one process) per directory. */
  dir: string;
  logger: Logger;
  /** Disk budget; see the capacity policy in README.md. Default 256 MiB. */
  maxBytes?: number;
  /** Size at which a new segment file is started. Default 8 MiB, or maxBytes / 8 for a small outbox; at most maxBytes / 8. */
  segmentBytes?: number;
  /** Telemetry older than this is dropped (counted in `expired`) instead of sent. Default 48 h. */
  maxAgeMs?: number;
  /** Acks are saved at most this long after they happen. Default 1000 ms. */
  ackFlushMs?: number;
  /** ...or as soon as this many are unsaved. Default 1000. */
  ackFlushCount?: number;
  /** Clock for enqueuedAt and expiry (tests). */
  now?: () => number;
}

export interface OutboxEvents {
  /** New durable records up to this LSN can be read. */
  appended: [lastLsn: number];
  /** The pressure level changed: raise or clear the gateway's outbox alarm. */
  pressure: [level: OutboxPressure];
}

export interface Enqueued {
  lsn: number;
  id: string;
  seq: number;
  /** The envelope exactly as the district will receive it (the local bus gets the same bytes). */
  payload: Buffer;
}

const MiB = 1024 * 1024;
const PRIORITIES: readonly Priority[] = ['result', 'event', 'telemetry'];
const PRESSED_ACK_FLUSH_MS = 500;

/**
 * The durable outbox: every message to the district is appended to a segment log and fdatasync'd
 * (group commit) before enqueue() resolves, and stays until the uplink acks it.
 */
export class Outbox extends EventEmitter<OutboxEvents> {
  private level: OutboxPressure;
  private readonly counts = { appended: 0, acked: 0, expired: 0, corruptRecords: 0 };
  private readonly refused: Record<Priority, number> = { result: 0, event: 0, telemetry: 0 };
  private ackDirty = 0;
  private ackTimer: NodeJS.Timeout | undefined;
  private ackSaving: Promise<void> | null = null;
  private ackAgain = false;
  private readonly waiters = new Set<() => void>();
  private closing: Promise<void> | null = null;
  private closed = false;

  static async open(opts: OutboxOptions): Promise<Outbox> {
    const cfg = {
      dir: opts.dir,
      log: opts.logger,
      maxBytes: opts.maxBytes ?? 256 * MiB,
      segmentBytes: opts.segmentBytes ?? Math.min(8 * MiB, Math.floor((opts.maxBytes ?? 256 * MiB) / 8)),
      maxAgeMs: opts.maxAgeMs ?? 48 * 3600_000,
      ackFlushMs: opts.ackFlushMs ?? 1000,
      ackFlushCount: opts.ackFlushCount ?? 1000,
      now: opts.now ?? Date.now,
    };
    // Space is freed a whole segment at a time, so a segment must be a small part of the budget.
    if (!(cfg.segmentBytes >= 1024 && cfg.segmentBytes * 8 <= cfg.maxBytes)) {
      throw new RangeError(`outbox segmentBytes (${cfg.segmentBytes}) must be at least 1 KiB and at most maxBytes / 8 (${cfg.maxBytes / 8})`);
    }
    const acks = await loadAckState(cfg.dir, cfg.log);
    const rec = await recover(cfg.dir, acks, cfg.log);
    const store = new SegmentStore(cfg.dir, cfg.segmentBytes, cfg.log, rec.segments, rec.writerHandle);
    await store.deleteBelow(rec.index.ackedBelow());
    const outbox = new Outbox(cfg, store, rec.index, rec.seqs, rec.nextLsn, rec.tornTails);
    outbox.counts.corruptRecords = rec.corruptRecords;
    cfg.log.info({ dir: cfg.dir, ...outbox.stats() }, 'outbox opened');
    return outbox;
  }

  private readonly commit: GroupCommit;

  private constructor(
    private readonly cfg: Required<Omit<OutboxOptions, 'logger'>> & { log: Logger },
    private readonly store: SegmentStore,
    private readonly index: RecordIndex,
    seqs: Map<string, number>,
    nextLsn: number,
    private readonly tornTails: number,
  ) {
    super();
    this.commit = new GroupCommit(
      store,
      seqs,
      nextLsn,
      Math.min(MiB, cfg.segmentBytes),
      (entries) => this.indexDurable(entries),
      () => this.updatePressure(),
      cfg.log,
    );
    this.level = pressureOf(this.usedBytes(), cfg.maxBytes);
  }

  /**
   * Stores a message; resolves once it is on disk (fdatasync'd). Rejects with OutboxFullError
   * when the capacity policy refuses it and with OutboxWriteError on an I/O failure: either way
   * the message was not stored and the producer keeps it.
   */
  enqueue(input: OutboxInput): Promise<Enqueued> {
    const enqueued = new Promise<Enqueued>((resolve, reject) => {
      if (this.closing) throw new Error('outbox is closed');
      const { stream, priority } = input;
      if (typeof stream !== 'string' || stream === '') throw new TypeError('outbox: stream must be a non-empty string');
      if (!PRIORITIES.includes(priority)) throw new TypeError(`outbox: unknown priority ${String(priority)}`);
      if (typeof input.schema !== 'string') throw new TypeError('outbox: schema must be a string');
      const schemaJson = JSON.stringify(input.schema);
      // JSON.stringify gives undefined for undefined (and functions): the envelope carries null.
      const dataJson = (JSON.stringify(input.data) as string | undefined) ?? 'null';
      const estimatedBytes = FRAME_HEADER_BYTES + MESSAGE_HEADER_BYTES + Buffer.byteLength(stream) + envelopeBytesAtMost(schemaJson, dataJson);
      if (estimatedBytes > this.cfg.segmentBytes) throw new RangeError(`outbox: message of ${estimatedBytes} bytes exceeds the segment size`);
      const usedAfter = this.usedBytes() + estimatedBytes;
      if (!admits(priority, usedAfter, this.cfg.maxBytes)) {
        this.refused[priority]++;
        throw new OutboxFullError(priority, pressureOf(usedAfter, this.cfg.maxBytes));
      }
      const enqueuedAt = this.cfg.now();
      this.commit.add({ stream, schemaJson, dataJson, priority, retain: input.retain === true, enqueuedAt, estimatedBytes, resolve, reject });
    });
    this.updatePressure();
    return enqueued;
  }

  /** Un-acked records with lsn ≥ fromLsn in LSN order, at most max; expired telemetry is acked on the way. */
  async read(fromLsn: number, max: number): Promise<OutboxRecord[]> {
    this.assertOpen();
    const now = this.cfg.now();
    const picked: IndexEntry[] = [];
    const expired: IndexEntry[] = [];
    for (let i = this.index.lowerBound(fromLsn); picked.length < max; i++) {
      const entry = this.index.at(i);
      if (!entry) break;
      if (entry.acked) continue;
      if (entry.priority === 'telemetry' && now - entry.enqueuedAt > this.cfg.maxAgeMs) expired.push(entry);
      else picked.push(entry);
    }
    for (const entry of expired) if (this.settle(entry.lsn)) this.counts.expired++;
    if (expired.length > 0) this.cfg.log.info({ count: expired.length }, 'outbox: telemetry older than maxAgeMs dropped unsent');

    return readRecords(this.store, picked, (entry) => {
      // Damaged on disk after it was written (bit rot): it can never be sent, so it must not block the queue.
      this.counts.corruptRecords++;
      this.cfg.log.error({ file: entry.segment.path, offset: entry.offset, lsn: entry.lsn }, 'outbox record damaged on disk: it cannot be delivered');
      this.settle(entry.lsn);
    });
  }

  /** LSN of the oldest un-acked record, or null when everything stored has been acked. */
  firstUnackedLsn(): number | null {
    return this.index.firstUnacked()?.lsn ?? null;
  }

  /** The district has the record: it may go. Acks may come in any order; false if unknown or already acked. */
  ack(lsn: number): boolean {
    if (this.closed || !this.settle(lsn)) return false;
    this.counts.acked++;
    return true;
  }

  /**
   * Resolves when a record is appended; at once if fromLsn is given and an un-acked record at or
   * above it already exists (which closes the gap between an empty read() and this call); and
   * when the outbox is closing. Rejects with the signal's reason when aborted.
   */
  waitForRecords(signal?: AbortSignal, fromLsn?: number): Promise<void> {
    if (this.closing || (fromLsn !== undefined && this.hasUnackedFrom(fromLsn))) return Promise.resolve();
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const done = (): void => {
        this.waiters.delete(done);
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        this.waiters.delete(done);
        reject(signal!.reason);
      };
      this.waiters.add(done);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  stats(): OutboxStats {
    const first = this.index.firstUnacked();
    return {
      depthMessages: this.index.depthMessages,
      depthBytes: this.index.depthBytes,
      oldestAgeMs: first ? Math.max(0, this.cfg.now() - first.enqueuedAt) : null,
      capacityBytes: this.cfg.maxBytes,
      pressure: this.level,
      appended: this.counts.appended,
      acked: this.counts.acked,
      refused: { ...this.refused },
      expired: this.counts.expired,
      tornTailsRecovered: this.tornTails,
      diskBytes: this.store.diskBytes,
      corruptRecords: this.counts.corruptRecords,
    };
  }

  /** Refuses new messages, waits for pending appends, saves the acks and closes the files. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.commit.drain();
      await this.saveAcks();
      clearTimeout(this.ackTimer);
      await this.store.close();
      this.closed = true;
      for (const wake of [...this.waiters]) wake();
    })();
    return this.closing;
  }

  private usedBytes(): number {
    return this.store.diskBytes + this.commit.pendingBytes;
  }

  private updatePressure(): void {
    const level = pressureOf(this.usedBytes(), this.cfg.maxBytes);
    if (level === this.level) return;
    this.level = level;
    const fields = { level, usedBytes: this.usedBytes(), maxBytes: this.cfg.maxBytes };
    if (level === 'normal') this.cfg.log.info(fields, 'outbox pressure back to normal');
    else this.cfg.log.warn(fields, `outbox pressure ${level}: ${level === 'high' ? 'telemetry' : 'telemetry and events'} refused`);
    this.notify(() => this.emit('pressure', level));
  }

  /** Emits without letting a throwing listener break the append loop or an ack save. */
  private notify(emit: () => void): void {
    try {
      emit();
    } catch (err) {
      this.cfg.log.error({ err }, 'outbox event listener threw');
    }
  }

  private indexDurable(entries: IndexEntry[]): void {
    for (const entry of entries) this.index.push(entry);
    this.counts.appended += entries.length;
    const last = entries.at(-1);
    if (!last) return;
    this.notify(() => this.emit('appended', last.lsn));
    for (const wake of [...this.waiters]) wake();
  }

  private hasUnackedFrom(lsn: number): boolean {
    for (let i = this.index.lowerBound(lsn), entry = this.index.at(i); entry; entry = this.index.at(++i)) {
      if (!entry.acked) return true;
    }
    return false;
  }

  /** Marks a record acked and schedules saving the ack cursor. */
  private settle(lsn: number): boolean {
    if (!this.index.ack(lsn)) return false;
    this.ackDirty++;
    if (this.ackDirty >= this.cfg.ackFlushCount) void this.saveAcks();
    else this.ackTimer ??= setTimeout(() => void this.saveAcks(), this.ackFlushDelay()).unref();
    return true;
  }

  /**
   * Acked files are deleted only once the cursor covering them is saved: while the outbox is
   * under pressure that space is wanted now, not after a long flush interval.
   */
  private ackFlushDelay(): number {
    return this.level === 'normal' ? this.cfg.ackFlushMs : Math.min(this.cfg.ackFlushMs, PRESSED_ACK_FLUSH_MS);
  }

  /** Saves the ack cursor; calls while a save runs fold into one more save after it. */
  private saveAcks(): Promise<void> {
    this.ackAgain = true;
    this.ackSaving ??= (async () => {
      try {
        while (this.ackAgain) {
          this.ackAgain = false;
          await this.saveAcksOnce();
        }
      } finally {
        this.ackSaving = null;
      }
    })();
    return this.ackSaving;
  }

  private async saveAcksOnce(): Promise<void> {
    clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    if (this.ackDirty === 0 || this.closed) return;
    const dirty = this.ackDirty;
    this.ackDirty = 0;
    const ackedBelow = this.index.ackedBelow();
    try {
      await saveAckState(this.cfg.dir, { ackedBelow, ackedRanges: this.index.ackedRanges(), seqs: Object.fromEntries(this.commit.durableSeqs) });
    } catch (err) {
      this.ackDirty += dirty;
      this.cfg.log.error({ err }, 'outbox could not save its ack cursor; retrying');
      this.ackTimer ??= setTimeout(() => void this.saveAcks(), this.cfg.ackFlushMs).unref();
      return;
    }
    this.index.compact();
    // Deleting only what the saved cursor covers keeps the files and the cursor telling the same story.
    await this.store.deleteBelow(ackedBelow).catch((err: unknown) => this.cfg.log.error({ err }, 'outbox could not delete acked segments'));
    this.updatePressure();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('outbox is closed');
  }
}
