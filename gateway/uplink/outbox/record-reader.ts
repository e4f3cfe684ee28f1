import { decodeBody, KIND_MESSAGE } from './record.js';
import type { IndexEntry } from './record-index.js';
import { frameAt } from './segment-file.js';
import type { Segment, SegmentStore } from './segment-store.js';
import type { OutboxRecord } from './types.js';

/**
 * Loads indexed records from disk, in the order given: one descriptor per segment and one read
 * per run of adjacent frames. Each frame is checked again (CRC, LSN), since the card may have
 * changed it since it was written; a damaged one goes to onDamaged instead of the result.
 */
export async function readRecords(store: SegmentStore, entries: IndexEntry[], onDamaged: (entry: IndexEntry) => void): Promise<OutboxRecord[]> {
  const records: OutboxRecord[] = [];
  for (let i = 0; i < entries.length; ) {
    const segment = entries[i]!.segment;
    let j = i + 1;
    while (entries[j]?.segment === segment) j++;
    records.push(...(await readSegment(store, segment, entries.slice(i, j), onDamaged)));
    i = j;
  }
  return records;
}

async function readSegment(store: SegmentStore, segment: Segment, entries: IndexEntry[], onDamaged: (entry: IndexEntry) => void): Promise<OutboxRecord[]> {
  const runs: Array<{ offset: number; length: number; entries: IndexEntry[] }> = [];
  for (const e of entries) {
    const run = runs.at(-1);
    if (run && run.offset + run.length === e.offset) {
      run.length += e.bytes;
      run.entries.push(e);
    } else runs.push({ offset: e.offset, length: e.bytes, entries: [e] });
  }
  let bufs: Buffer[];
  try {
    bufs = await store.read(segment, runs);
  } catch (err) {
    // A segment is deleted only once all its records are acked: these were acked while we read.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && entries.every((e) => e.acked)) return [];
    throw err;
  }
  const records: OutboxRecord[] = [];
  runs.forEach((run, k) => {
    let offset = 0;
    for (const entry of run.entries) {
      // Acked while the read was in flight: sending it again would only make a duplicate.
      if (!entry.acked) {
        const record = decode(bufs[k]!, offset, entry);
        if (record) records.push(record);
        else onDamaged(entry);
      }
      offset += entry.bytes;
    }
  });
  return records;
}

function decode(buf: Buffer, offset: number, entry: IndexEntry): OutboxRecord | null {
  const frame = frameAt(buf, offset);
  if (!('body' in frame) || frame.end !== offset + entry.bytes) return null;
  let rec;
  try {
    rec = decodeBody(frame.body);
  } catch {
    return null;
  }
  if (rec.kind !== KIND_MESSAGE || rec.lsn !== entry.lsn) return null;
  return { lsn: rec.lsn, stream: rec.stream, priority: rec.priority, retain: rec.retain, payload: rec.payload, enqueuedAt: rec.enqueuedAt };
}
