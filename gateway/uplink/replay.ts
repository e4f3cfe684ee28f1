import type { MqttClient } from 'mqtt';
import type { OutboxRecord } from './outbox/types.js';
import type { OutboxSource } from './types.js';

export interface ReplayHooks {
  onSent(record: OutboxRecord): void;
  onAcked(record: OutboxRecord): void;
  /** The broker refused a record, or the outbox could not be read: the connection must be dropped. */
  onFailure(problem: string, err: unknown): void;
}

/** Records read per outbox call; reading one record per freed slot would make one disk read per PUBACK. */
const MIN_READ_BATCH = 256;

/**
 * Streams the outbox over one live connection: from the oldest un-acked record, in lsn order,
 * with at most `window` publishes awaiting PUBACK. It lives exactly as long as the connection;
 * the next connection starts a new Replay from firstUnackedLsn(), so whatever was in flight
 * is sent again (the district drops duplicates by envelope id) and nothing is skipped.
 */
export class Replay {
  private active = true;
  private cursor = 0;
  private readonly inflight = new Set<number>();
  /** Set by 'appended'; cleared just before each read, so an append during a read is not missed. */
  private appended = false;
  private wake: (() => void) | null = null;
  /** Caught up with the outbox and every publish PUBACKed. */
  private drained = false;
  private drainWaiters: (() => void)[] = [];
  private readonly onAppended = (): void => {
    this.appended = true;
    this.drained = false;
    this.wakeUp();
  };

  constructor(
    private readonly client: MqttClient,
    private readonly outbox: OutboxSource,
    private readonly baseTopic: string,
    private readonly window: number,
    private readonly hooks: ReplayHooks,
  ) {}

  start(): void {
    if (!this.active) return;
    this.cursor = this.outbox.firstUnackedLsn() ?? 0;
    this.outbox.on('appended', this.onAppended);
    this.pump().catch((err: unknown) => this.fail(`outbox read failed: ${(err as Error).message}`, err));
  }

  /** Stops publishing; PUBACKs still to come are ignored (those records stay un-acked and are sent again). */
  stop(): void {
    if (!this.active) return;
    this.active = false;
    this.outbox.off('appended', this.onAppended);
    this.wakeUp();
    this.settleDrainWaiters();
  }

  /** Resolves once everything readable was PUBACKed (a flush), or when the replay stops. */
  whenDrained(): Promise<void> {
    if (this.drained || !this.active) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private async pump(): Promise<void> {
    const batchSize = Math.max(this.window, MIN_READ_BATCH);
    let buffer: OutboxRecord[] = [];
    let next = 0;
    // After a non-empty read there may be more; an empty read means "caught up until 'appended'".
    let mayHaveMore = true;
    while (this.active) {
      if (next === buffer.length && (mayHaveMore || this.appended)) {
        this.appended = false;
        buffer = await this.outbox.read(this.cursor, batchSize);
        next = 0;
        mayHaveMore = buffer.length > 0;
        continue;
      }
      while (this.active && next < buffer.length && this.inflight.size < this.window) {
        this.publish(buffer[next++]!);
      }
      const caughtUp = next === buffer.length && !mayHaveMore && !this.appended;
      if (caughtUp && this.inflight.size === 0) {
        this.drained = true;
        this.settleDrainWaiters();
      }
      // Sleep when the window is full (an ack wakes us) or when caught up ('appended' wakes us).
      if (this.active && (caughtUp || next < buffer.length)) {
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    }
  }

  private publish(record: OutboxRecord): void {
    this.drained = false;
    this.inflight.add(record.lsn);
    this.cursor = record.lsn + 1;
    this.hooks.onSent(record);
    const topic = `${this.baseTopic}/${record.stream}`;
    this.client.publish(topic, record.payload, { qos: 1, retain: record.retain }, (err) => {
      if (!this.active) return;
      if (err) {
        // A reason code means the broker refused this record (negative PUBACK). Going on would
        // deliver later records before it: drop the connection and start over from the oldest
        // un-acked record. Without one, mqtt.js is failing every pending publish because the
        // connection is going (keepalive timeout, forced end): its 'close' ends this replay.
        if (typeof (err as { code?: unknown }).code === 'number') this.fail(`broker refused record ${record.lsn} on ${topic}: ${err.message}`, err);
        return;
      }
      this.inflight.delete(record.lsn);
      this.outbox.ack(record.lsn);
      this.hooks.onAcked(record);
      this.wakeUp();
    });
  }

  private fail(problem: string, err: unknown): void {
    if (!this.active) return;
    this.stop();
    this.hooks.onFailure(problem, err);
  }

  private settleDrainWaiters(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
