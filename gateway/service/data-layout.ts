/**
 * What in the data folder is the box's configuration (backed up, restored, reset) and what is
 * its data (kept unless asked). One list, so backup, restore and factory reset cannot disagree.
 */
import { dirname, resolve } from 'node:path';
import { readSettings, SECRETS_FILE_NAME } from '../settings/index.js';

/** Set up by IT or teachers; small. Paths relative to the data folder. */
export const CONFIG_ENTRIES = [SECRETS_FILE_NAME, 'node-red', 'assignments', 'pens', 'exercises'] as const;
/** Produced by the gateway; can be large. Only with --with-data. */
export const DATA_ENTRIES = ['outbox', 'scans', 'reports'] as const;

/** Never archived: reinstallable modules, Node-RED's own per-deploy history, and temp files of interrupted atomic writes. */
export function excluded(relativePath: string): boolean {
  const parts = relativePath.split('/');
  if (parts[0] === 'node-red' && (parts[1] === 'node_modules' || parts[1] === 'flow-backups')) return true;
  const name = parts[parts.length - 1] ?? '';
  return name.startsWith('.') && name.endsWith('.tmp');
}

export interface GatewayPaths {
  settingsFile: string;
  dataDir: string;
}

/**
 * The data folder as the gateway would use it. A settings file that does not exist yet (or is
 * invalid, for a factory reset) means the default: the folder holding it.
 */
export async function gatewayPaths(settingsFile: string, { lenient = false } = {}): Promise<GatewayPaths> {
  const file = resolve(settingsFile);
  try {
    return { settingsFile: file, dataDir: (await readSettings(file)).settings.dataDir };
  } catch (err) {
    if (!lenient) throw err;
    return { settingsFile: file, dataDir: dirname(file) };
  }
}

/** `<path>.bak`, the one previous copy restore keeps. */
export const backupName = (path: string): string => `${path}.bak`;
