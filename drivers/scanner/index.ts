import type { DeviceDriver } from '../../gateway/devices/registry.js';
import { SimulatedScanner, type PageSource } from './simulated-scanner.js';

export type { BatchSummary, ScannedPage, Scanner, ScanRequest } from './scanner.js';
export { ScannerDevice } from './scanner.js';
export { SimulatedScanner, type PageSource } from './simulated-scanner.js';

function optionalNumber(options: Record<string, unknown>, key: string, id: string): number | undefined {
  const value = options[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new Error(`devices[${id}].options.${key}: allowed: a whole number ≥ 0; found ${JSON.stringify(value)}`);
  return value;
}

/** The scanner driver: `transport: simulated` today; the SANE and hot-folder transports follow (issue 3). */
export function scannerDriver(env: { pageSource?: PageSource } = {}): DeviceDriver {
  return {
    create(config, { logger }) {
      const options = config.options ?? {};
      if (config.transport === 'real') {
        throw new Error('the real scanner transports (SANE, hot folder) are not in this build yet: use "transport": "simulated"');
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
