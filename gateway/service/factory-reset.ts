/**
 * `gateway factory-reset --yes [--keep-data]`: back to a fresh install. Without --keep-data the
 * data folder is emptied; with it, only what makes the box this school's is removed: settings,
 * secrets (so the next start prints a new admin password) and Node-RED's flows and credentials
 * (so the default flows load again), with the copies a restore kept of them. Assignments, rosters, paper map, exercises, outbox, scans
 * and reports stay. The data folder itself stays: systemd owns it (StateDirectory=).
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { SECRETS_FILE_NAME } from '../settings/index.js';
import { backupName, gatewayPaths } from './data-layout.js';

export interface FactoryResetOptions {
  settingsFile: string;
  keepData?: boolean;
}

/** Returns what was removed. */
export async function factoryReset(options: FactoryResetOptions): Promise<string[]> {
  // Broken settings are a common reason for a reset: they must not block it.
  const paths = await gatewayPaths(options.settingsFile, { lenient: true });
  const identity = [paths.settingsFile, join(paths.dataDir, SECRETS_FILE_NAME), join(paths.dataDir, 'node-red')];
  const targets = options.keepData
    ? // The copies a restore kept hold the old secrets and credentials too.
      [...identity, ...identity.map(backupName)]
    : [paths.settingsFile, ...(await readdir(paths.dataDir).catch(() => [] as string[])).map((name) => join(paths.dataDir, name))];
  const removed: string[] = [];
  for (const target of new Set(targets)) {
    const before = await rm(target, { recursive: true, force: false }).then(
      () => true,
      (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return false;
        throw err;
      },
    );
    if (before) removed.push(target);
  }
  return removed;
}
