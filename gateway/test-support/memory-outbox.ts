import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Envelope, OutboxRecord } from '../uplink/outbox/types.js';
import { silentLogger } from '../log/logger.js';
import type { OutboxSource, UplinkOptions } from '../uplink/types.js';
import { Uplink } from '../uplink/uplink.js';

/**
 * An outbox in memory with the uplink's view of the real one (OutboxSource): records in lsn
 * order, envelopes with ids and per-stream seq, acks in any order, 'appended' on every append.
 * For tests that are about the uplink rather than durability.
 */
export class MemoryOutbox extends EventEmitter<{ appended: [] }> implements OutboxSource {
  /** Un-acked records by lsn; a Map iterates in insertion order, which is lsn order. */
  private readonly pending = new Map<number, OutboxRecord>();
  private readonly seqs = new Map<string, number>();
  private nextLsn = 1;
  acks = 0;

  append(stream: string, data: unknown, retain = false): Envelope {
    const seq = (this.seqs.get(stream) ?? 0) + 1;
    this.seqs.set(stream, seq);
    const envelope: Envelope = { schema: 'test/1', id: randomUUID(), seq, ts: new Date().toISOString(), data };
    const lsn = this.nextLsn++;
    this.pending.set(lsn, { lsn, stream, priority: 'event', retain, payload: Buffer.from(JSON.stringify(envelope)), enqueuedAt: Date.now() });
    this.emit('appended');
    return envelope;
  }

  async read(fromLsn: number, max: number): Promise<OutboxRecord[]> {
    const out: OutboxRecord[] = [];
    for (const record of this.pending.values()) {
      if (out.length >= max) break;
      if (record.lsn >= fromLsn) out.push(record);
    }
    return out;
  }

  firstUnackedLsn(): number | null {
    for (const lsn of this.pending.keys()) return lsn;
    return null;
  }

  ack(lsn: number): void {
    if (this.pending.delete(lsn)) this.acks++;
  }

  get depth(): number {
    return this.pending.size;
  }
}

/** An uplink with the options every uplink test shares: fast backoff, silent logs, a fixed version. */
export function testUplink(url: string, gatewayId: string, baseTopic: string, outbox: UplinkOptions['outbox'], extra: Partial<UplinkOptions> = {}): Uplink {
  return new Uplink({ url, gatewayId, baseTopic, version: '1.2.3', outbox, logger: silentLogger(), backoff: { minSeconds: 0.05, maxSeconds: 0.2 }, ...extra });
}
