import { describe, expect, it } from 'vitest';
import { RecordIndex, type IndexEntry } from './record-index.js';
import type { Segment } from './segment-store.js';

const segment: Segment = { firstLsn: 1, path: '/nowhere', size: 0, lastLsn: 0 };
const entry = (lsn: number, acked = false): IndexEntry => ({ lsn, segment, offset: lsn * 10, bytes: 10, priority: 'event', enqueuedAt: 0, acked });

describe('RecordIndex', () => {
  it('tracks out-of-order acks as a watermark plus ranges', () => {
    const index = new RecordIndex();
    for (const lsn of [1, 2, 3, 5, 6, 7, 9, 10]) index.push(entry(lsn));
    for (const lsn of [3, 6, 7, 10]) expect(index.ack(lsn)?.lsn).toBe(lsn);
    expect(index.ack(7)).toBeUndefined(); // twice
    expect(index.ack(4)).toBeUndefined(); // never stored
    expect(index.ackedBelow()).toBe(1);
    expect(index.ackedRanges()).toEqual([[3, 3], [6, 7], [10, 10]]);
    expect([index.depthMessages, index.depthBytes]).toEqual([4, 40]);

    index.ack(1);
    index.ack(2);
    expect(index.firstUnacked()?.lsn).toBe(5);
    expect(index.ackedBelow()).toBe(5);
    expect(index.ackedRanges()).toEqual([[6, 7], [10, 10]]);
    index.ack(5);
    index.ack(9);
    expect(index.firstUnacked()).toBeUndefined();
    expect(index.ackedBelow()).toBe(11);
    expect(index.ackedRanges()).toEqual([]);
  });

  it('refuses LSNs that do not increase', () => {
    const index = new RecordIndex();
    index.push(entry(5));
    expect(() => index.push(entry(5))).toThrow(/not above/);
  });

  it('from(): keeps acked entries for their ranges and never lets ackedBelow fall under the highest LSN seen', () => {
    const index = RecordIndex.from([entry(4), entry(5, true), entry(6)], 9);
    expect(index.ackedRanges()).toEqual([[5, 5]]);
    index.ack(4);
    index.ack(6);
    expect(index.ackedBelow()).toBe(10);
    expect(RecordIndex.from([], 42).ackedBelow()).toBe(43);
  });

  it('lowerBound and at() walk from any LSN, surviving compaction', () => {
    const index = new RecordIndex();
    for (let lsn = 1; lsn <= 5000; lsn++) index.push(entry(lsn * 2));
    for (let lsn = 1; lsn <= 3000; lsn++) index.ack(lsn * 2);
    index.compact();
    expect(index.at(index.lowerBound(0))?.lsn).toBe(6002);
    expect(index.at(index.lowerBound(8001))?.lsn).toBe(8002);
    expect(index.at(index.lowerBound(10_001))).toBeUndefined();
    expect(index.depthMessages).toBe(2000);
  });
});
