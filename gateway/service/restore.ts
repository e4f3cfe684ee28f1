/**
 * `gateway restore <file.tar.gz>`: puts a backup's configuration (and data, if it has any) in
 * place. Everything is unpacked and the settings checked before anything is replaced; then each
 * entry is swapped in by rename, the previous one kept as `<entry>.bak`, and a failed swap puts
 * back what was already swapped. The gateway must be stopped (cli.ts checks).
 */
import { chown, copyFile, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { extract } from 'tar';
import { readSettings, SettingsError } from '../settings/index.js';
import { BACKUP_FORMAT, type BackupManifest } from './backup.js';
import { backupName, CONFIG_ENTRIES, DATA_ENTRIES, gatewayPaths } from './data-layout.js';

export interface RestoreOptions {
  settingsFile: string;
  archive: string;
}

export interface RestoreResult {
  manifest: BackupManifest;
  /** What was replaced (its previous version is `<path>.bak`) or put in place. */
  restored: string[];
}

export async function restoreBackup(options: RestoreOptions): Promise<RestoreResult> {
  // The current settings may be broken (a reason to restore): fall back to the default layout.
  const paths = await gatewayPaths(options.settingsFile, { lenient: true });
  await mkdir(paths.dataDir, { recursive: true });
  // Unpacked inside the data folder, so every swap is a rename within one filesystem.
  const staging = join(paths.dataDir, `.restore-${process.pid}`);
  // The stale-temp pattern of the settings file's atomic writes: a crash leaves nothing the gateway keeps.
  const stagedSettings = join(dirname(paths.settingsFile), `.${basename(paths.settingsFile)}.restore.tmp`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { mode: 0o700 });
  try {
    // Run as root (sudo), files must still belong to the service user that owns the data folder.
    const owner = process.getuid?.() === 0 ? await stat(paths.dataDir) : null;
    await extract({ file: options.archive, cwd: staging, strict: true, preserveOwner: false, ...(owner ? { uid: owner.uid, gid: owner.gid } : {}) });
    const manifest = await readManifest(join(staging, 'manifest.json'));

    await copyFile(join(staging, 'settings.json'), stagedSettings);
    if (owner) await chown(stagedSettings, owner.uid, owner.gid);
    // Checked where it will live, so relative paths (dataDir ".") resolve as they will at start.
    const restoredDataDir = (await readSettings(stagedSettings)).settings.dataDir;
    if (restoredDataDir !== paths.dataDir) {
      throw new SettingsError(`The backup's settings keep the data in ${restoredDataDir}, but this gateway's data folder is ${paths.dataDir}. Nothing was changed.`);
    }

    const swaps: { target: string; staged: string }[] = [{ target: paths.settingsFile, staged: stagedSettings }];
    // A restore sets the configuration to the backup's: an entry the backup lacks is moved aside, not kept.
    for (const entry of [...CONFIG_ENTRIES, ...(manifest.withData ? DATA_ENTRIES : [])]) {
      swaps.push({ target: join(paths.dataDir, entry), staged: join(staging, 'data', entry) });
    }
    return { manifest, restored: await swapAll(swaps) };
  } finally {
    await rm(staging, { recursive: true, force: true });
    await rm(stagedSettings, { force: true });
  }
}

async function readManifest(file: string): Promise<BackupManifest> {
  let manifest: Partial<BackupManifest>;
  try {
    manifest = JSON.parse(await readFile(file, 'utf8')) as Partial<BackupManifest>;
  } catch {
    throw new SettingsError('Not a gateway backup: manifest.json is missing or not JSON. Nothing was changed.');
  }
  if (manifest.format !== BACKUP_FORMAT || !Array.isArray(manifest.entries)) {
    throw new SettingsError(`Not a backup this gateway can read (format ${JSON.stringify(manifest.format)}, expected ${BACKUP_FORMAT}). Nothing was changed.`);
  }
  return manifest as BackupManifest;
}

/** Each target to `.bak`, then the staged one in; on a failure, undone in reverse. */
async function swapAll(swaps: { target: string; staged: string }[]): Promise<string[]> {
  const undo: (() => Promise<void>)[] = [];
  const restored: string[] = [];
  try {
    for (const { target, staged } of swaps) {
      const hasTarget = await present(target);
      const hasStaged = await present(staged);
      if (!hasTarget && !hasStaged) continue;
      if (hasTarget) {
        await rm(backupName(target), { recursive: true, force: true });
        await rename(target, backupName(target));
        undo.push(() => rename(backupName(target), target));
      }
      if (hasStaged) {
        await rename(staged, target);
        undo.push(() => rm(target, { recursive: true, force: true }));
      }
      restored.push(target);
    }
  } catch (err) {
    for (const step of undo.reverse()) await step().catch(() => undefined);
    throw err;
  }
  return restored;
}

async function present(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return false;
      throw err;
    },
  );
}
