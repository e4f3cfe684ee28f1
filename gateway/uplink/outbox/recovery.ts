import { mkdir, open, readFile, readdir } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../log/logger.js';
import { isAcked, type AckState } from './ack-state.js';
import { decodeBody, KIND_SNAPSHOT } from './record.js';
import { RecordIndex, type IndexEntry } from './record-index.js';
import { FRAME_HEADER_BYTES, parseSegmentFileName, scanFrames } from './segment-file.js';
import type { Segment } from './segment-store.js';

export interface Recovered {
  segments: Segment[];
  /** Open for appending to the newest segment. */
  writerHandle: FileHandle | null;
  index: RecordIndex;
  /** Last sequence number per stream ever made durable. */
  seqs: Map<string, number>;
  nextLsn: number;
  tornTails: number;
  corruptRecords: number;
}

/**
 * Rebuilds the outbox state from its directory: every segment is read and checked frame by frame.
 * A torn tail on the newest segment (a crash mid-write) is cut off; damage anywhere else is logged,
 * counted and stepped over.
 */
export async function recover(dir: string, acks: AckState, log: Logger): Promise<Recovered> {
  await mkdir(dir, { recursive: true });
  const names = (await readdir(dir))
    .map((name) => ({ name, firstLsn: parseSegmentFileName(name) }))
    .filter((f): f is { name: string; firstLsn: number } => f.firstLsn !== null)
    .sort((a, b) => a.firstLsn - b.firstLsn);

  const segments: Segment[] = [];
  const entries: IndexEntry[] = [];
  const seqs = new Map<string, number>();
  for (const [stream, seq] of Object.entries(acks.seqs)) raiseSeq(seqs, stream, seq);
  let writerHandle: FileHandle | null = null;
  let maxLsn = 0;
  let tornTails = 0;
  let corruptRecords = 0;

  for (const [i, { name, firstLsn }] of names.entries()) {
    const path = join(dir, name);
    const isNewest = i === names.length - 1;
    const buf = await readFile(path);
    const segment: Segment = { firstLsn, path, size: buf.length, lastLsn: 0 };
    const corrupt = (offset: number, reason: string): void => {
      corruptRecords++;
      log.error({ file: path, offset, reason }, 'outbox segment damaged: record skipped');
    };

    const scan = scanFrames(buf, (body, offset) => {
      let rec;
      try {
        rec = decodeBody(body);
      } catch (err) {
        return corrupt(offset, (err as Error).message);
      }
      if (rec.kind === KIND_SNAPSHOT) {
        for (const [stream, seq] of rec.seqs) raiseSeq(seqs, stream, seq);
        return;
      }
      // The index is searched by LSN: a record out of order can only be damage that passed the CRC.
      if (rec.lsn <= maxLsn) return corrupt(offset, `LSN ${rec.lsn} not above ${maxLsn}`);
      maxLsn = segment.lastLsn = rec.lsn;
      raiseSeq(seqs, rec.stream, rec.seq);
      if (rec.lsn < acks.ackedBelow) return;
      const bytes = FRAME_HEADER_BYTES + body.length;
      entries.push({ lsn: rec.lsn, segment, offset, bytes, priority: rec.priority, enqueuedAt: rec.enqueuedAt, acked: isAcked(acks, rec.lsn) });
    });

    for (const d of scan.skipped) corrupt(d.offset, `${d.reason}; ${d.length} bytes skipped`);
    if (scan.tail && isNewest) {
      // Nothing intact follows: an interrupted write, none of it reported safe. Cut it off and append after.
      log.warn({ file: path, offset: scan.tail.offset, reason: scan.tail.reason, cutBytes: scan.tail.length }, 'outbox torn tail cut off after a crash');
      tornTails++;
      writerHandle = await open(path, 'r+');
      await writerHandle.truncate(scan.tail.offset);
      await writerHandle.datasync();
      segment.size = scan.tail.offset;
    } else if (scan.tail) {
      corrupt(scan.tail.offset, `${scan.tail.reason}; rest of the segment (${scan.tail.length} bytes) unreadable`);
    }
    segments.push(segment);
  }

  const newest = segments.at(-1);
  if (newest) writerHandle ??= await open(newest.path, 'r+');
  return {
    segments,
    writerHandle,
    index: RecordIndex.from(entries, maxLsn),
    seqs,
    // Never reuse an LSN: segment names and the ack cursor bound LSNs that may have left the files.
    nextLsn: Math.max(maxLsn + 1, newest?.firstLsn ?? 1, acks.ackedBelow, 1),
    tornTails,
    corruptRecords,
  };
}

function raiseSeq(seqs: Map<string, number>, stream: string, seq: number): void {
  if (seq > (seqs.get(stream) ?? 0)) seqs.set(stream, seq);
}
