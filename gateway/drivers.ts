import type { DeviceDriver } from './devices/registry.js';
import { scannerDriver } from '../drivers/scanner/index.js';

export interface DriverEnvironment {
  dataDir: string;
}

/** The device drivers this build ships, by settings `kind`; each lives in drivers/<kind>/. */
export function installedDrivers(_env: DriverEnvironment): Record<string, DeviceDriver> {
  return { scanner: scannerDriver() };
}
