import type { DeviceConfig, DeviceDriver } from '../../gateway/devices/registry.js';
import type { PenScript } from './pen-hub.js';
import { probeSerialHubs } from './probe.js';
import { SerialPenHub } from './serial-pen-hub.js';
import { SimulatedPenHub } from './simulated-pen-hub.js';

export type * from './pen-hub.js';
export { PenHubDevice } from './hub/pen-hub-device.js';
export { SerialPenHub } from './serial-pen-hub.js';
export { SimulatedPenHub } from './simulated-pen-hub.js';
export { randomScripts } from './sim/script-generator.js';
export { VirtualHub, type VirtualHubSummary } from './sim/virtual-hub.js';

const OPTIONS = { real: ['path', 'baudRate'], simulated: ['pens', 'faults', 'seed'] } as const;

function invalid(config: DeviceConfig, key: string, allowed: string, value: unknown): Error {
  return new Error(`devices[${config.id}].options.${key}: allowed: ${allowed}; found ${JSON.stringify(value)}`);
}

function wholeNumber(config: DeviceConfig, key: string, min: number, max: number): number | undefined {
  const value = config.options?.[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw invalid(config, key, `a whole number from ${min} to ${max}`, value);
  return value;
}

/** A misspelt option would otherwise be ignored silently: name the ones this transport knows. */
function rejectUnknown(config: DeviceConfig): void {
  const known: readonly string[] = [...OPTIONS[config.transport], 'usbVendorId', 'usbProductId'];
  for (const key of Object.keys(config.options ?? {})) {
    if (!known.includes(key)) throw new Error(`devices[${config.id}].options.${key}: not an option of a ${config.transport} pen hub; allowed: ${known.map((k) => `"${k}"`).join(', ')}`);
  }
}

/**
 * The pen hub driver. `real`: the USB hub's serial port (`options.path`, `baudRate` 115200).
 * `simulated`: a hub in this process (`pens` 40, `faults` false, `seed` 1), writing `env.scripts`
 * (e.g. gateway/pens/demo/ workbook pages) or random plausible strokes.
 */
export function penHubDriver(env: { scripts?: (count: number) => PenScript[] } = {}): DeviceDriver {
  return {
    create(config, { logger }) {
      rejectUnknown(config);
      const options = config.options ?? {};
      if (config.transport === 'real') {
        const path = options.path;
        if (path === undefined) throw new Error(`devices[${config.id}].options.path: required: the hub's serial port, e.g. "/dev/ttyACM0"`);
        if (typeof path !== 'string' || path === '') throw invalid(config, 'path', 'a serial port path such as "/dev/ttyACM0"', path);
        const baudRate = wholeNumber(config, 'baudRate', 1200, 4_000_000);
        return new SerialPenHub({ id: config.id, logger, path, ...(baudRate ? { baudRate } : {}) });
      }
      if (options.faults !== undefined && typeof options.faults !== 'boolean') throw invalid(config, 'faults', 'true, false', options.faults);
      const pens = wholeNumber(config, 'pens', 1, 64) ?? 40;
      const seed = wholeNumber(config, 'seed', 0, 2 ** 32 - 1) ?? 1;
      return new SimulatedPenHub({ id: config.id, logger, pens, seed, faults: options.faults === true, ...(env.scripts ? { scripts: env.scripts(pens) } : {}) });
    },
    probe: probeSerialHubs,
  };
}
