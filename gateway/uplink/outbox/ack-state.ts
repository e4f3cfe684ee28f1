import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../log/logger.js';
import { writeFileAtomic } from './durable-fs.js';

/**
 * The persisted ack cursor, `acks.json`, replaced atomically every few hundred milliseconds of acks.
 * Acks newer than the last write are lost in a crash, so those records are published again
 * (the district drops them by id); nothing un-acked is ever marked acked here.
 */
export interface AckState {
  /** Every record with a lower LSN is acked. */
  ackedBelow: number;
  /** Inclusive LSN ranges above ackedBelow acked out of order, ascending and disjoint. */
  ackedRanges: Array<[number, number]>;
  /** Last sequence number made durable per stream: a second copy beside the segment snapshots. */
  seqs: Record<string, number>;
}

const FILE = 'acks.json';
const VERSION = 1;

export const EMPTY_ACK_STATE: AckState = { ackedBelow: 0, ackedRanges: [], seqs: {} };

export async function saveAckState(dir: string, state: AckState): Promise<void> {
  await writeFileAtomic(join(dir, FILE), JSON.stringify({ version: VERSION, ...state }));
}

/** The last saved state; a missing or unreadable file means "nothing acked" (replay, never lose). */
export async function loadAckState(dir: string, log: Logger): Promise<AckState> {
  const path = join(dir, FILE);
  await rm(`${path}.tmp`, { force: true }); // a save interrupted before its rename
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_ACK_STATE;
    throw err;
  }
  try {
    return parse(JSON.parse(text));
  } catch (err) {
    log.error({ file: path, err }, 'outbox ack state unreadable: every stored record will be sent again');
    return EMPTY_ACK_STATE;
  }
}

function parse(raw: unknown): AckState {
  const o = raw as Partial<AckState> & { version?: unknown };
  const isLsn = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;
  if (o?.version !== VERSION || !isLsn(o.ackedBelow)) throw new Error('not an outbox ack state');
  const ranges = o.ackedRanges;
  // isAcked binary-searches these, so anything but ascending disjoint ranges could hide un-acked records.
  const ok =
    Array.isArray(ranges) &&
    ranges.every((r, i) => Array.isArray(r) && isLsn(r[0]) && isLsn(r[1]) && r[0] <= r[1] && (i === 0 || r[0] > ranges[i - 1]![1]));
  if (!ok) throw new Error('bad ackedRanges');
  const seqs = o.seqs;
  if (typeof seqs !== 'object' || seqs === null || !Object.values(seqs).every(isLsn)) throw new Error('bad seqs');
  return { ackedBelow: o.ackedBelow, ackedRanges: ranges, seqs };
}

export function isAcked(state: AckState, lsn: number): boolean {
  if (lsn < state.ackedBelow) return true;
  let lo = 0;
  let hi = state.ackedRanges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const [from, to] = state.ackedRanges[mid]!;
    if (lsn < from) hi = mid - 1;
    else if (lsn > to) lo = mid + 1;
    else return true;
  }
  return false;
}
