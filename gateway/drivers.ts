import { cameraDriver, type FrameSource } from '../drivers/camera/index.js';
import { cardReaderDriver } from '../drivers/card-reader/index.js';
import { penHubDriver, type PenScript } from '../drivers/pen-hub/index.js';
import { scannerDriver, type PageSource } from '../drivers/scanner/index.js';
import type { DeviceDriver } from './devices/registry.js';

export interface DriverEnvironment {
  dataDir: string;
  /** What the simulated scanner feeds: the class's filled-in homework pages. */
  scannerPages?: PageSource;
  /** What the simulated pen hub's pens write: the class doing its homework on dot-pattern pages. */
  penScripts?: (count: number, speed: number) => PenScript[];
  /** What the simulated camera sees: students checking in and exercising at the magic mirror. */
  cameraFrames?: FrameSource;
}

/** The device drivers this build ships, by settings `kind`; each lives in drivers/<kind>/. */
export function installedDrivers(env: DriverEnvironment): Record<string, DeviceDriver> {
  return {
    scanner: scannerDriver(env.scannerPages ? { pageSource: env.scannerPages } : {}),
    'pen-hub': penHubDriver(env.penScripts ? { scripts: env.penScripts } : {}),
    camera: cameraDriver(env.cameraFrames ? { frameSource: env.cameraFrames } : {}),
    'card-reader': cardReaderDriver(),
  };
}
