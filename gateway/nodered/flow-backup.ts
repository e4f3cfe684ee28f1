import { copyFile, mkdir, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../log/logger.js';

/** The part of a Node-RED storage module this wrapper touches; every other member passes through. */
export interface FlowStorage {
  saveFlows(flows: unknown, user?: unknown): Promise<void>;
  [member: string]: unknown;
}

export interface FlowBackupOptions {
  /** Absolute path of the live flows file. */
  flowsFile: string;
  /** Folder for the timestamped copies (created on demand). */
  backupDir: string;
  /** How many copies to keep; Node-RED itself keeps only one (.flows.json.backup). */
  keep: number;
  logger: Logger;
}

const PREFIX = 'flows-';
const SUFFIX = '.json';

/**
 * Wraps a storage module so that every saveFlows (a deploy, or Node-RED re-saving after a
 * credential re-encryption) first copies the current flows file to a timestamped backup.
 * Node-RED 4.1 has no pre-deploy hook and its 'flows:started' event fires after the file was
 * overwritten, so the storage layer is the only place that still sees the old version.
 */
export function withFlowBackups<S extends FlowStorage>(storage: S, options: FlowBackupOptions): S {
  return {
    ...storage,
    saveFlows: async (flows: unknown, user?: unknown) => {
      await backupFlows(options);
      return storage.saveFlows(flows, user);
    },
  };
}

/** Copies the flows file (if any) and prunes old copies. Never fails the deploy: a lost backup is logged instead. */
export async function backupFlows({ flowsFile, backupDir, keep, logger }: FlowBackupOptions): Promise<string | null> {
  try {
    await mkdir(backupDir, { recursive: true });
    const target = await freeName(backupDir, new Date());
    await copyFile(flowsFile, target);
    await prune(backupDir, keep);
    logger.info({ backup: target }, 'flows backed up before deploy');
    return target;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null; // first deploy: nothing to back up yet
    logger.error({ err }, 'flows backup failed; deploying anyway');
    return null;
  }
}

/** Backups of `backupDir`, oldest first (names sort chronologically). */
export async function listFlowBackups(backupDir: string): Promise<string[]> {
  const names = await readdir(backupDir).catch(() => [] as string[]);
  return names.filter((n) => n.startsWith(PREFIX) && n.endsWith(SUFFIX)).sort();
}

async function freeName(dir: string, at: Date): Promise<string> {
  // Colons are not portable in file names; ms resolution plus a counter keeps quick deploys
  // apart, and '_' sorts after '.' so a counted name still sorts after its uncounted twin.
  const stamp = at.toISOString().replace(/[:.]/g, '-');
  const taken = new Set(await listFlowBackups(dir));
  for (let n = 0; ; n++) {
    const name = `${PREFIX}${stamp}${n === 0 ? '' : `_${n}`}${SUFFIX}`;
    if (!taken.has(name)) return join(dir, name);
  }
}

async function prune(dir: string, keep: number): Promise<void> {
  const names = await listFlowBackups(dir);
  for (const name of names.slice(0, Math.max(0, names.length - keep))) {
    await unlink(join(dir, name));
  }
}
