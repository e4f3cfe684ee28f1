import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../log/logger.js';
import { EMPTY_ACK_STATE, isAcked, loadAckState, saveAckState, type AckState } from './ack-state.js';
import { captureLogger, useTempDirs } from './test-support/helpers.js';

const tempDir = useTempDirs();
const state: AckState = { ackedBelow: 10, ackedRanges: [[12, 14], [20, 20]], seqs: { health: 7, 'device/ü/event': 2 ** 40 } };

describe('ack state', () => {
  it('round-trips through acks.json and leaves no temp file', async () => {
    const dir = await tempDir();
    await saveAckState(dir, state);
    expect(await loadAckState(dir, silentLogger())).toEqual(state);
    expect(await readdir(dir)).toEqual(['acks.json']);
  });

  it('is empty when there is no file yet, and a leftover temp file is removed', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'acks.json.tmp'), '{"half');
    expect(await loadAckState(dir, silentLogger())).toEqual(EMPTY_ACK_STATE);
    expect(await readdir(dir)).toEqual([]);
  });

  it('falls back to "nothing acked" (replay, never lose) on an unreadable file, with an error logged', async () => {
    const dir = await tempDir();
    const bad = [
      'not json',
      JSON.stringify({ version: 2, ackedBelow: 1, ackedRanges: [], seqs: {} }),
      JSON.stringify({ version: 1, ackedBelow: 1, ackedRanges: [[5, 9], [8, 12]], seqs: {} }),
      JSON.stringify({ version: 1, ackedBelow: 1, ackedRanges: [[9, 5]], seqs: {} }),
      JSON.stringify({ version: 1, ackedBelow: -1, ackedRanges: [], seqs: {} }),
      JSON.stringify({ version: 1, ackedBelow: 1, ackedRanges: [], seqs: { a: 'x' } }),
    ];
    for (const text of bad) {
      await writeFile(join(dir, 'acks.json'), text);
      const { logger, lines } = captureLogger();
      expect(await loadAckState(dir, logger), text).toEqual(EMPTY_ACK_STATE);
      expect(lines.filter((l) => l.level === 50)).toHaveLength(1);
    }
  });

  it('isAcked covers the watermark and the out-of-order ranges only', () => {
    const acked = Array.from({ length: 25 }, (_, lsn) => lsn).filter((lsn) => isAcked(state, lsn));
    expect(acked).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 14, 20]);
  });
});
