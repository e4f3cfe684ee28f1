/**
 * The durable outbox's contract with its producers (the publisher) and its consumer (the uplink).
 * Every message bound for the district is appended here and fsync'd before its producer hears
 * "safe"; it leaves only when the district broker has PUBACKed it.
 */

/** Delivery classes, in the order they are refused when the outbox fills: telemetry first, results never silently. */
export type Priority = 'result' | 'event' | 'telemetry';

export interface OutboxInput {
  /** Topic relative to the gateway's base topic, e.g. "health" or "device/scanner-1/event"; also the sequence stream. */
  stream: string;
  /** Payload schema and version, e.g. "health/1"; copied into the envelope. */
  schema: string;
  data: unknown;
  priority: Priority;
  retain?: boolean;
}

/** What the district receives as the MQTT payload (JSON). */
export interface Envelope {
  schema: string;
  /** Unique message id (UUID): the district drops duplicates by it. */
  id: string;
  /** Per-stream sequence number from 1, never reused: the district sees gaps by it. */
  seq: number;
  /** ISO-8601 time the message was made safe. */
  ts: string;
  data: unknown;
}

export interface OutboxRecord {
  /** Log sequence number: global, strictly increasing in append order. */
  lsn: number;
  stream: string;
  priority: Priority;
  retain: boolean;
  /** The serialised Envelope, exactly as it is to be published. */
  payload: Buffer;
  enqueuedAt: number;
}

export type OutboxPressure = 'normal' | 'high' | 'full';

export interface OutboxStats {
  depthMessages: number;
  depthBytes: number;
  oldestAgeMs: number | null;
  capacityBytes: number;
  pressure: OutboxPressure;
  appended: number;
  acked: number;
  refused: Record<Priority, number>;
  expired: number;
  tornTailsRecovered: number;
  /** Bytes of all segment files: what capacity and pressure are measured against (acked records are freed a segment at a time). */
  diskBytes: number;
  /** Damaged records skipped (at start-up or when read): these could not be delivered. */
  corruptRecords: number;
}

export class OutboxFullError extends Error {
  constructor(
    readonly priority: Priority,
    readonly pressure: OutboxPressure,
  ) {
    super(`outbox ${pressure}: ${priority} message refused (see the capacity policy in gateway/uplink/outbox/README.md)`);
    this.name = 'OutboxFullError';
  }
}

/** The message could not be written (disk full, I/O error): it was not stored; the producer keeps it and retries. */
export class OutboxWriteError extends Error {
  constructor(cause: unknown) {
    super(`outbox could not store the message: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'OutboxWriteError';
  }
}
