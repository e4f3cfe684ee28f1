import { chmod, copyFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Low } from 'lowdb';
import type { Logger } from '../log/logger.js';
import { createAjv } from './ajv.js';
import { problemsFromAjv } from './ajv-problems.js';
import { AtomicJsonFile, ensureOwnerOnly } from './atomic-json-file.js';
import { crossCheck } from './cross-checks.js';
import { classifyChanges, type SettingsChanges } from './describe.js';
import { SettingsError } from './errors.js';
import { parseJsonText } from './json-text.js';
import { CURRENT_VERSION, migrate } from './migrations.js';
import { settingsSchema } from './schema-node.js';
import type { Settings } from './types.js';

const validateSchema = createAjv().compile(settingsSchema);

/** What is on disk, checked, without changing anything: for check-config. */
export interface SettingsFileState {
  settings: Settings;
  /** Absolute path of the settings file. */
  file: string;
  /** false: no file (or an empty one), so settings are all defaults. */
  exists: boolean;
  /** The layout version found, when it was older than the current one. */
  migratedFrom: number | null;
}

export interface SettingsUpdate extends SettingsChanges {
  settings: Settings;
}

/** The complete default settings for a settings file at `settingsFile` (which need not exist). */
export function defaults(settingsFile: string): Settings {
  return validateDocument({}, dirname(resolve(settingsFile)), (count) => `built-in defaults have ${problemCount(count)}:`);
}

/** Reads, upgrades and validates the settings file; writes nothing. Throws SettingsError. */
export async function readSettings(file: string): Promise<SettingsFileState> {
  return readFrom(openSettingsFile(resolve(file)));
}

/**
 * The gateway's start-up read. Beyond readSettings: removes temp files of an interrupted write,
 * writes the defaults when there is no file (so IT has something to edit), and saves an
 * upgraded layout, keeping the old file as `<file>.v<N>.bak`.
 */
export async function loadSettings(file: string, logger: Logger): Promise<Settings> {
  const opened = openSettingsFile(resolve(file));
  for (const stale of await opened.adapter.removeStaleTemps()) {
    logger.warn({ file: stale }, 'removed a temp file left by an interrupted settings write');
  }
  const state = await readFrom(opened);
  if (!state.exists) {
    await write(opened.db, state.settings);
    logger.info({ file: state.file }, 'no settings file: wrote one with the defaults');
  } else if (state.migratedFrom !== null) {
    const backup = `${state.file}.v${state.migratedFrom}.bak`;
    await copyFile(state.file, backup);
    await chmod(backup, 0o600);
    await write(opened.db, state.settings);
    logger.warn({ file: state.file, from: state.migratedFrom, to: CURRENT_VERSION, backup }, 'upgraded the settings file layout');
  } else {
    await ensureOwnerOnly(state.file, logger);
  }
  return state.settings;
}

/**
 * Applies a JSON merge patch (RFC 7396: objects merge, `null` removes a key so its default
 * returns, lists are replaced whole) to the running settings, validates the result like a
 * file, and saves it atomically. Nothing is written if the patch is rejected or changes nothing.
 */
export async function updateSettings(file: string, current: Settings, patch: unknown): Promise<SettingsUpdate> {
  if (!isObject(patch)) throw new SettingsError('A settings change must be a JSON object, e.g. {"web": {"port": 8081}}');
  const absolute = resolve(file);
  const settings = validateDocument(mergePatch(current, patch), dirname(absolute), (count) => `Settings not changed: ${problemCount(count)}:`);
  const changes = classifyChanges(current, settings);
  if (changes.changed.length > 0) await write(openSettingsFile(absolute).db, settings);
  return { settings, ...changes };
}

function openSettingsFile(file: string) {
  // An empty file counts as missing: all defaults, and it gets written out like a new one.
  const adapter = new AtomicJsonFile<unknown>(file, (text) => (text.trim() === '' ? null : parseJsonText(text, file)));
  return { file, adapter, db: new Low<unknown>(adapter, null) };
}

async function readFrom({ file, db }: ReturnType<typeof openSettingsFile>): Promise<SettingsFileState> {
  await db.read();
  const exists = db.data !== null;
  const raw = db.data ?? {};
  // A top level that is not an object is left to validation, which says so.
  const { doc, from, moved } = isObject(raw) ? migrate(raw) : { doc: raw, from: CURRENT_VERSION, moved: [] };
  const upgraded = moved.length === 0 ? '' : ` (a version ${from} file, checked as version ${CURRENT_VERSION}, where ${moved.join(', ')})`;
  const settings = validateDocument(doc, dirname(file), (count) => `${file} has ${problemCount(count)}${upgraded}:`);
  return { settings, file, exists, migratedFrom: from === CURRENT_VERSION ? null : from };
}

async function write(db: Low<unknown>, settings: Settings): Promise<void> {
  db.data = settings;
  await db.write();
}

/** Schema (filling defaults), then paths made absolute, then cross-key rules. Does not modify `doc`. */
function validateDocument(doc: unknown, baseDir: string, headline: (count: number) => string): Settings {
  const candidate = structuredClone(doc);
  if (!validateSchema(candidate)) {
    const problems = problemsFromAjv(validateSchema.errors ?? [], candidate, settingsSchema);
    throw new SettingsError(headline(problems.length), problems);
  }
  const settings = resolvePaths(candidate as Settings, baseDir);
  const problems = crossCheck(settings);
  if (problems.length > 0) throw new SettingsError(headline(problems.length), problems);
  return settings;
}

/** Relative paths in the file mean "next to the settings file", whatever the working directory. */
function resolvePaths(settings: Settings, baseDir: string): Settings {
  const { tls } = settings.district;
  settings.dataDir = resolve(baseDir, settings.dataDir);
  for (const key of ['ca', 'cert', 'key'] as const) {
    const path = tls[key];
    if (path !== undefined) tls[key] = resolve(baseDir, path);
  }
  return settings;
}

function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    // defineProperty: a "__proto__" key from JSON stays an own (and so unknown, rejected) key.
    else Object.defineProperty(out, key, { value: mergePatch(out[key], value), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function problemCount(count: number): string {
  return count === 1 ? '1 problem' : `${count} problems`;
}
