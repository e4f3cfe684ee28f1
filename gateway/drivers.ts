import type { DeviceDriver } from './devices/registry.js';
import { scannerDriver, type PageSource } from '../drivers/scanner/index.js';

export interface DriverEnvironment {
  dataDir: string;
  /** What the simulated scanner feeds: the class's filled-in homework pages. */
  scannerPages?: PageSource;
}

/** The device drivers this build ships, by settings `kind`; each lives in drivers/<kind>/. */
export function installedDrivers(env: DriverEnvironment): Record<string, DeviceDriver> {
  return { scanner: scannerDriver(env.scannerPages ? { pageSource: env.scannerPages } : {}) };
}
