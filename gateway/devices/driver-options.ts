/**
 * Checks of a device's `options` for driver factories (drivers/<kind>/index.ts). Every message
 * names the key and what is allowed, as settings errors do, so school IT can fix the file alone.
 */
import type { DeviceConfig } from './registry.js';

export function invalidOption(config: DeviceConfig, key: string, allowed: string, value: unknown): Error {
  return new Error(`devices[${config.id}].options.${key}: allowed: ${allowed}; found ${JSON.stringify(value)}`);
}

/** A misspelt option would otherwise be ignored silently: name the ones this transport knows. */
export function rejectUnknownOptions(config: DeviceConfig, known: readonly string[], what: string): void {
  const allowed = [...known, 'usbVendorId', 'usbProductId'];
  for (const key of Object.keys(config.options ?? {})) {
    if (!allowed.includes(key)) throw new Error(`devices[${config.id}].options.${key}: not an option of a ${config.transport} ${what}; allowed: ${allowed.map((k) => `"${k}"`).join(', ')}`);
  }
}

export function wholeNumberOption(config: DeviceConfig, key: string, min: number, max: number): number | undefined {
  const value = config.options?.[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw invalidOption(config, key, `a whole number from ${min} to ${max}`, value);
  return value;
}

export function oneOfOption<T extends string>(config: DeviceConfig, key: string, allowed: readonly T[]): T | undefined {
  const value = config.options?.[key];
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw invalidOption(config, key, allowed.map((a) => `"${a}"`).join(', '), value);
  return value as T;
}

/** A serial port is the one thing a real serial device cannot do without. */
export function serialPathOption(config: DeviceConfig, what: string, example: string): string {
  const path = config.options?.path;
  if (path === undefined) throw new Error(`devices[${config.id}].options.path: required: ${what}'s serial port, e.g. "${example}"`);
  if (typeof path !== 'string' || path === '') throw invalidOption(config, 'path', `a serial port path such as "${example}"`, path);
  return path;
}
