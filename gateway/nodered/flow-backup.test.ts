import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../log/logger.js';
import { backupFlows, listFlowBackups, withFlowBackups } from './flow-backup.js';

let dir: string;
let flowsFile: string;
let backupDir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-flow-backup-'));
  flowsFile = join(dir, 'flows.json');
  backupDir = join(dir, 'flow-backups');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('flow backups', () => {
  it('copies the flows file as it was before the save, then lets the save through', async () => {
    await writeFile(flowsFile, '["old"]');
    const calls: string[] = [];
    const storage = withFlowBackups(
      {
        getFlows: async () => [],
        saveFlows: async (flows: unknown) => {
          calls.push('save');
          await writeFile(flowsFile, JSON.stringify(flows));
        },
      },
      { flowsFile, backupDir, keep: 10, logger: silentLogger() },
    );
    expect(typeof storage.getFlows).toBe('function'); // other members pass through
    await storage.saveFlows(['new']);
    const [backup, ...rest] = await listFlowBackups(backupDir);
    expect(rest).toEqual([]);
    expect(backup).toMatch(/^flows-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z\.json$/);
    expect(await readFile(join(backupDir, backup!), 'utf8')).toBe('["old"]');
    expect(await readFile(flowsFile, 'utf8')).toBe('["new"]');
    expect(calls).toEqual(['save']);
  });

  it('keeps only the newest copies, pruning the oldest', async () => {
    for (let i = 1; i <= 5; i++) {
      await writeFile(flowsFile, `[${i}]`);
      await backupFlows({ flowsFile, backupDir, keep: 3, logger: silentLogger() });
    }
    const kept = await listFlowBackups(backupDir);
    expect(kept).toHaveLength(3);
    const contents = await Promise.all(kept.map((n) => readFile(join(backupDir, n), 'utf8')));
    expect(contents).toEqual(['[3]', '[4]', '[5]']);
  });

  it('has nothing to back up before the first flows file exists', async () => {
    expect(await backupFlows({ flowsFile, backupDir, keep: 3, logger: silentLogger() })).toBeNull();
    expect(await listFlowBackups(backupDir)).toEqual([]);
  });
});
