import type { Priority } from './types.js';
import type { Segment } from './segment-store.js';

/** Where one durable record lives; the payload itself stays on disk until it is read. */
export interface IndexEntry {
  lsn: number;
  segment: Segment;
  /** Offset of the frame in the segment file. */
  offset: number;
  /** Frame length on disk (header included). */
  bytes: number;
  priority: Priority;
  enqueuedAt: number;
  acked: boolean;
}

/**
 * The un-acked records in LSN order. Entries are appended in LSN order and acked mostly in order,
 * so a head pointer over an array gives O(1) amortised acks at the front and binary search for
 * the rest; acked entries behind the head are dropped in bulk by compact().
 */
export class RecordIndex {
  private entries: IndexEntry[] = [];
  /** Entries before head are acked; entries[head], if any, is not. */
  private head = 0;
  /** Acked entries at or after head (acks that arrived out of order). */
  private ackedAhead = 0;
  private lastLsn = 0;
  depthMessages = 0;
  depthBytes = 0;

  /**
   * Recovery's index: the records found on disk that the ack cursor does not cover below its
   * watermark (those acked out of order stay as acked entries so the ranges survive another save),
   * with highestLsn the last LSN seen in the files, so ackedBelow() never moves back under it.
   */
  static from(entries: Iterable<IndexEntry>, highestLsn: number): RecordIndex {
    const index = new RecordIndex();
    for (const entry of entries) index.push(entry);
    index.lastLsn = Math.max(index.lastLsn, highestLsn);
    return index;
  }

  /** Adds a durable record; LSNs must increase. */
  push(entry: IndexEntry): void {
    if (entry.lsn <= this.lastLsn) throw new Error(`index LSN ${entry.lsn} not above ${this.lastLsn}`);
    this.lastLsn = entry.lsn;
    this.entries.push(entry);
    if (entry.acked) {
      this.ackedAhead++;
      this.advanceHead();
    } else {
      this.depthMessages++;
      this.depthBytes += entry.bytes;
    }
  }

  /** Position of the first entry with lsn ≥ the given one (may be acked), for iterating with at(). */
  lowerBound(lsn: number): number {
    let lo = this.head;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries[mid]!.lsn < lsn) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  at(position: number): IndexEntry | undefined {
    return this.entries[position];
  }

  /** Marks the record acked; undefined if it is unknown or was acked already. */
  ack(lsn: number): IndexEntry | undefined {
    const entry = this.entries[this.lowerBound(lsn)];
    if (entry?.lsn !== lsn || entry.acked) return undefined;
    entry.acked = true;
    this.depthMessages--;
    this.depthBytes -= entry.bytes;
    this.ackedAhead++;
    this.advanceHead();
    return entry;
  }

  private advanceHead(): void {
    while (this.entries[this.head]?.acked) {
      this.head++;
      this.ackedAhead--;
    }
  }

  firstUnacked(): IndexEntry | undefined {
    return this.entries[this.head];
  }

  /** Every record below this LSN is acked (and every LSN not yet indexed is at or above it). */
  ackedBelow(): number {
    return this.firstUnacked()?.lsn ?? this.lastLsn + 1;
  }

  /** Inclusive LSN ranges above ackedBelow() that are acked. */
  ackedRanges(): Array<[number, number]> {
    const ranges: Array<[number, number]> = [];
    for (let i = this.head, left = this.ackedAhead; left > 0; i++) {
      const entry = this.entries[i]!;
      if (!entry.acked) continue;
      left--;
      const last = ranges.at(-1);
      if (last && this.entries[i - 1]?.acked) last[1] = entry.lsn;
      else ranges.push([entry.lsn, entry.lsn]);
    }
    return ranges;
  }

  /** Frees the acked prefix once it is most of the array; positions from lowerBound() are invalid afterwards. */
  compact(): void {
    if (this.head < 1024 || this.head * 2 < this.entries.length) return;
    this.entries = this.entries.slice(this.head);
    this.head = 0;
  }
}
