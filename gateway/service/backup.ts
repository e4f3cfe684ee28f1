/**
 * `gateway backup --out <file.tar.gz> [--with-data]`: the box's configuration in one archive
 * (settings, secrets, Node-RED flows and credentials, assignments and rosters, paper map,
 * exercises), so a replaced SD card or a second box can be set up the same.
 *
 * Archive layout: `manifest.json`, `settings.json`, `data/<entry>` for what was in the data folder.
 */
import { lstat, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { create } from 'tar';
import { GATEWAY_VERSION } from '../version.js';
import { CONFIG_ENTRIES, DATA_ENTRIES, excluded, gatewayPaths } from './data-layout.js';

export const BACKUP_FORMAT = 'classroom-gateway-backup/1';

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  gatewayVersion: string;
  createdAt: string;
  withData: boolean;
  /** Data-folder entries in the archive, under `data/`. */
  entries: string[];
}

export interface BackupOptions {
  settingsFile: string;
  out: string;
  withData?: boolean;
}

export async function createBackup(options: BackupOptions): Promise<BackupManifest> {
  // A backup of settings the gateway would refuse is no backup: readSettings throws SettingsError.
  const paths = await gatewayPaths(options.settingsFile);
  const wanted = [...CONFIG_ENTRIES, ...(options.withData ? DATA_ENTRIES : [])];
  const entries: string[] = [];
  for (const entry of wanted) if (await exists(join(paths.dataDir, entry))) entries.push(entry);
  const manifest: BackupManifest = { format: BACKUP_FORMAT, gatewayVersion: GATEWAY_VERSION, createdAt: new Date().toISOString(), withData: options.withData === true, entries };

  // The archive's names differ from the box's (the settings file may live outside the data
  // folder): a staging folder of symlinks gives tar those names without copying anything.
  const staging = await mkdtemp(join(tmpdir(), 'gateway-backup-'));
  const out = resolve(options.out);
  const partial = join(dirname(out), `.${Date.now()}.${process.pid}.partial.tar.gz`);
  try {
    await writeFile(join(staging, 'manifest.json'), JSON.stringify(manifest, null, 2));
    await symlink(paths.settingsFile, join(staging, 'settings.json'));
    await symlink(paths.dataDir, join(staging, 'data'));
    await create(
      {
        gzip: true,
        file: partial,
        cwd: staging,
        portable: true,
        // Follows the staging links (and any link inside the data folder: its contents are what counts).
        follow: true,
        filter: (path) => !path.startsWith('data/') || !excluded(path.slice('data/'.length)),
      },
      ['manifest.json', 'settings.json', ...entries.map((e) => `data/${e}`)],
    );
    // Written beside the target and renamed: a full disk or a crash never leaves half an archive under the real name.
    await rename(partial, out);
  } finally {
    await rm(partial, { force: true });
    await rm(staging, { recursive: true, force: true });
  }
  return manifest;
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
