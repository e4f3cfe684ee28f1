import { randomUUID } from 'node:crypto';
import type { Logger } from '../../log/logger.js';
import { envelopeJson } from './envelope.js';
import { encodeMessage, encodeSnapshot } from './record.js';
import type { IndexEntry } from './record-index.js';
import { encodeFrame } from './segment-file.js';
import { AppendFailed, type SegmentStore } from './segment-store.js';
import { OutboxWriteError, type Priority } from './types.js';

/** An enqueue waiting for its batch to be written and fdatasync'd. */
export interface AppendRequest {
  stream: string;
  schemaJson: string;
  dataJson: string;
  priority: Priority;
  retain: boolean;
  enqueuedAt: number;
  /** Upper bound of the frame's size, counted against capacity until the batch is on disk. */
  estimatedBytes: number;
  resolve(result: { lsn: number; id: string; seq: number; payload: Buffer }): void;
  reject(err: Error): void;
}

/**
 * Group commit: one write and one fdatasync per batch, and while a batch is being synced the
 * next one accumulates. LSN, seq, id and ts are assigned only when a batch is serialised, so a
 * batch that fails before reaching the disk gives its sequence numbers back and the district sees
 * no gap for a message that was never accepted.
 */
export class GroupCommit {
  private queue: AppendRequest[] = [];
  private running: Promise<void> | null = null;
  /** Estimated bytes of queued and in-flight requests. */
  pendingBytes = 0;
  /** Last seq per stream that is on disk: what the ack cursor may record. */
  readonly durableSeqs: Map<string, number>;

  constructor(
    private readonly store: SegmentStore,
    private readonly seqs: Map<string, number>,
    private nextLsn: number,
    private readonly maxBatchBytes: number,
    /** Called once per batch that reached the disk, before its producers are resolved. */
    private readonly onDurable: (entries: IndexEntry[]) => void,
    /** Called after every batch, written or not, once pendingBytes has changed. */
    private readonly onSettled: () => void,
    private readonly log: Logger,
  ) {
    this.durableSeqs = new Map(seqs);
  }

  add(request: AppendRequest): void {
    this.queue.push(request);
    this.pendingBytes += request.estimatedBytes;
    this.running ??= this.run();
  }

  /** Resolves when every request added so far is settled. */
  async drain(): Promise<void> {
    while (this.running) await this.running;
  }

  private async run(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.write(this.take());
    } finally {
      this.running = null;
    }
  }

  /** The oldest requests up to maxBatchBytes (at least one), so a batch fits a segment. */
  private take(): AppendRequest[] {
    let n = 0;
    for (let bytes = 0; n < this.queue.length; n++) {
      bytes += this.queue[n]!.estimatedBytes;
      if (n > 0 && bytes > this.maxBatchBytes) break;
    }
    return this.queue.splice(0, n);
  }

  private async write(batch: AppendRequest[]): Promise<void> {
    const estimated = batch.reduce((n, r) => n + r.estimatedBytes, 0);
    const previousSeqs = new Map<string, number>();
    const entries: IndexEntry[] = [];
    const results: Array<{ lsn: number; id: string; seq: number; payload: Buffer }> = [];
    try {
      const segment = await this.store.segmentFor(estimated, this.nextLsn);
      // Every segment opens with the counters so far: seqs survive the deletion of older segments.
      const frames = segment.size === 0 ? [encodeFrame(encodeSnapshot(this.seqs))] : [];
      let offset = segment.size + (frames[0]?.length ?? 0);
      const ts = new Date().toISOString();
      for (const r of batch) {
        const lsn = this.nextLsn++;
        const seq = (this.seqs.get(r.stream) ?? 0) + 1;
        if (!previousSeqs.has(r.stream)) previousSeqs.set(r.stream, seq - 1);
        this.seqs.set(r.stream, seq);
        const id = randomUUID();
        const payload = Buffer.from(envelopeJson(r.schemaJson, id, seq, ts, r.dataJson), 'utf8');
        const frame = encodeFrame(encodeMessage({ lsn, seq, stream: r.stream, priority: r.priority, retain: r.retain, enqueuedAt: r.enqueuedAt }, payload));
        frames.push(frame);
        entries.push({ lsn, segment, offset, bytes: frame.length, priority: r.priority, enqueuedAt: r.enqueuedAt, acked: false });
        results.push({ lsn, id, seq, payload });
        offset += frame.length;
      }
      await this.store.append(segment, Buffer.concat(frames, offset - segment.size), this.nextLsn - 1);
    } catch (err) {
      // Seqs go back only if the bytes surely are not on disk; LSNs are never reused either way.
      if (!(err instanceof AppendFailed) || err.rolledBack) for (const [stream, seq] of previousSeqs) this.seqs.set(stream, seq);
      this.pendingBytes -= estimated;
      this.log.error({ err, messages: batch.length }, 'outbox append failed: messages refused, producers will retry');
      const refused = new OutboxWriteError(err instanceof AppendFailed ? err.cause : err);
      for (const r of batch) r.reject(refused);
      this.onSettled();
      return;
    }
    for (const [stream] of previousSeqs) this.durableSeqs.set(stream, this.seqs.get(stream)!);
    this.pendingBytes -= estimated;
    this.onDurable(entries);
    batch.forEach((r, i) => r.resolve(results[i]!));
    this.onSettled();
  }
}
