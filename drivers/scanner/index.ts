import type { DeviceDriver } from '../../gateway/devices/registry.js';
import { HotFolderScanner } from './hot-folder.js';
import { SaneScanner } from './sane-scanner.js';
import { SimulatedScanner, type PageSource } from './simulated-scanner.js';

export type { BatchSummary, ScannedPage, Scanner, ScanRequest } from './scanner.js';
export { ScannerDevice } from './scanner.js';
export { HotFolderScanner } from './hot-folder.js';
export { SaneScanner } from './sane-scanner.js';
export { SimulatedScanner, type PageSource } from './simulated-scanner.js';

function optionalNumber(options: Record<string, unknown>, key: string, id: string): number | undefined {
  const value = options[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new Error(`devices[${id}].options.${key}: allowed: a whole number ≥ 0; found ${JSON.stringify(value)}`);
  return value;
}

function optionalString(options: Record<string, unknown>, key: string, id: string): string | undefined {
  const value = options[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new Error(`devices[${id}].options.${key}: allowed: a non-empty string; found ${JSON.stringify(value)}`);
  return value;
}

/**
 * The scanner driver. `real`: SANE (`options.device`, `resolution`, `mode`, sources) or, with
 * `input: "hot-folder"`, a copier's scan-to-folder (`options.folder`). `simulated` needs no hardware.
 */
export function scannerDriver(env: { pageSource?: PageSource } = {}): DeviceDriver {
  return {
    create(config, { logger }) {
      const options = config.options ?? {};
      if (config.transport === 'real') {
        if (options.input === 'hot-folder') {
          const folder = optionalString(options, 'folder', config.id);
          if (!folder) throw new Error(`devices[${config.id}].options.folder: required for input "hot-folder" (the folder the copier scans to)`);
          const stableMs = optionalNumber(options, 'stableMs', config.id);
          const batchGapMs = optionalNumber(options, 'batchGapMs', config.id);
          return new HotFolderScanner({ id: config.id, logger, folder, deleteAfterRead: options.deleteAfterRead === true, ...(stableMs ? { stableMs } : {}), ...(batchGapMs ? { batchGapMs } : {}) });
        }
        if (options.input !== undefined && options.input !== 'sane') throw new Error(`devices[${config.id}].options.input: allowed: "sane", "hot-folder"; found ${JSON.stringify(options.input)}`);
        const mode = options.mode;
        if (mode !== undefined && mode !== 'gray' && mode !== 'color') throw new Error(`devices[${config.id}].options.mode: allowed: "gray", "color"; found ${JSON.stringify(mode)}`);
        const device = optionalString(options, 'device', config.id);
        const resolution = optionalNumber(options, 'resolution', config.id);
        const feederSource = optionalString(options, 'feederSource', config.id);
        const duplexSource = optionalString(options, 'duplexSource', config.id);
        const pollButtonMs = optionalNumber(options, 'pollButtonMs', config.id);
        return new SaneScanner({
          id: config.id,
          logger,
          ...(device ? { device } : {}),
          ...(resolution ? { resolution } : {}),
          ...(mode ? { mode } : {}),
          ...(feederSource ? { feederSource } : {}),
          ...(duplexSource ? { duplexSource } : {}),
          ...(pollButtonMs ? { pollButtonMs } : {}),
        });
      }
      return new SimulatedScanner({
        id: config.id,
        logger,
        ...(env.pageSource ? { pageSource: env.pageSource } : {}),
        pageDelayMs: optionalNumber(options, 'pageDelayMs', config.id) ?? 150,
        ...(options.jamAfter !== undefined ? { jamAfter: optionalNumber(options, 'jamAfter', config.id) } : {}),
        emptyFeeder: options.emptyFeeder === true,
        coverOpen: options.coverOpen === true,
      });
    },
  };
}
