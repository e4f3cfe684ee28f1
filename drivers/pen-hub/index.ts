import { invalidOption, rejectUnknownOptions, serialPathOption, wholeNumberOption } from '../../gateway/devices/driver-options.js';
import type { DeviceDriver } from '../../gateway/devices/registry.js';
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

const OPTIONS = { real: ['path', 'baudRate'], simulated: ['pens', 'faults', 'seed', 'speed'] } as const;

/**
 * The pen hub driver. `real`: the USB hub's serial port (`options.path`, `baudRate` 115200).
 * `simulated`: a hub in this process (`pens` 40, `faults` false, `seed` 1), writing `env.scripts`
 * (e.g. gateway/pens/demo/ workbook pages, `speed` times faster than real writing, 30 by default,
 * 1 for a real evening's pace) or random plausible strokes.
 */
export function penHubDriver(env: { scripts?: (count: number, speed: number) => PenScript[] } = {}): DeviceDriver {
  return {
    create(config, { logger }) {
      rejectUnknownOptions(config, OPTIONS[config.transport], 'pen hub');
      const options = config.options ?? {};
      if (config.transport === 'real') {
        const path = serialPathOption(config, 'the hub', '/dev/ttyACM0');
        const baudRate = wholeNumberOption(config, 'baudRate', 1200, 4_000_000);
        return new SerialPenHub({ id: config.id, logger, path, ...(baudRate ? { baudRate } : {}) });
      }
      if (options.faults !== undefined && typeof options.faults !== 'boolean') throw invalidOption(config, 'faults', 'true, false', options.faults);
      const pens = wholeNumberOption(config, 'pens', 1, 64) ?? 40;
      const seed = wholeNumberOption(config, 'seed', 0, 2 ** 32 - 1) ?? 1;
      const speed = wholeNumberOption(config, 'speed', 1, 100) ?? 30;
      return new SimulatedPenHub({ id: config.id, logger, pens, seed, faults: options.faults === true, ...(env.scripts ? { scripts: env.scripts(pens, speed) } : {}) });
    },
    probe: probeSerialHubs,
  };
}
