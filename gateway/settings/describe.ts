import { isDeepStrictEqual } from 'node:util';
import { allowedText, resolveRef, settingsSchema, type SchemaNode } from './schema-node.js';

export interface SettingDescription {
  /** e.g. `district.reconnect.maxSeconds`; `devices[].id` for keys of list entries. */
  path: string;
  description: string;
  allowed: string;
  /** Absent for optional keys without a default (e.g. district.password). */
  default?: unknown;
  restartRequired: boolean;
}

/** Every key of settings.json with its default and restart flag, in schema order: for the docs and the web page. */
export function describeSettings(): SettingDescription[] {
  const out: SettingDescription[] = [];
  const visit = (raw: SchemaNode, path: string, restart: boolean) => {
    const node = resolveRef(raw);
    const restartRequired = restart || node['x-restart-required'] === true;
    if (node.properties !== undefined && node.type === 'object') {
      for (const [key, child] of Object.entries(node.properties)) visit(child, path === '' ? key : `${path}.${key}`, restartRequired);
      return;
    }
    out.push({
      path,
      description: node.description ?? '',
      allowed: allowedText(node),
      ...('default' in node ? { default: node.default } : {}),
      restartRequired,
    });
    // Entries of lists of objects (devices, bus.users) are documented key by key.
    if (node.items !== undefined && resolveRef(node.items).properties !== undefined) visit(node.items, `${path}[]`, restartRequired);
  };
  visit(settingsSchema, '', false);
  return out;
}

export interface SettingsChanges {
  /** Every changed key, as a JSON path. */
  changed: string[];
  /** Changed keys marked x-restart-required: they take effect after a restart. */
  restartRequired: string[];
  /** Changed keys that can be applied while running. */
  hot: string[];
}

/**
 * Which keys differ between two settings. Objects with fixed keys are compared key by key;
 * lists and free-form objects (device options) count as one key.
 */
export function classifyChanges(before: unknown, after: unknown): SettingsChanges {
  const result: SettingsChanges = { changed: [], restartRequired: [], hot: [] };
  const visit = (raw: SchemaNode, a: unknown, b: unknown, path: string, restart: boolean) => {
    if (isDeepStrictEqual(a, b)) return;
    const node = resolveRef(raw);
    const restartRequired = restart || node['x-restart-required'] === true;
    if (node.properties !== undefined && isRecord(a) && isRecord(b)) {
      for (const [key, child] of Object.entries(node.properties)) {
        visit(child, a[key], b[key], path === '' ? key : `${path}.${key}`, restartRequired);
      }
      return;
    }
    result.changed.push(path);
    (restartRequired ? result.restartRequired : result.hot).push(path);
  };
  visit(settingsSchema, before, after, '', false);
  return result;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
