/**
 * USB hot-plug: attach/detach events with vendor/product ids, so the registry can restart a real
 * device the moment it is plugged in and mark it disconnected when it is pulled.
 *
 * Where hot-plug cannot work (containers, non-Linux hosts, `usb` failing to load) the source
 * reports why and simply never emits; the registry's restart backoff then acts as polling.
 */
import { existsSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import type { Logger } from '../log/logger.js';
import { errorMessage } from './device.js';

export interface UsbDeviceInfo {
  vendorId: number;
  productId: number;
  /** Bus and address tell apart two identical devices (e.g. two scanners of one model). */
  bus?: string;
  address?: number;
}

export interface UsbEvents {
  attach: [device: UsbDeviceInfo];
  detach: [device: UsbDeviceInfo];
}

/** What the registry listens to: the real hot-plug below, or a synthetic source in tests. */
export interface UsbEventSource {
  on<K extends keyof UsbEvents>(event: K, listener: (...args: UsbEvents[K]) => void): unknown;
  off<K extends keyof UsbEvents>(event: K, listener: (...args: UsbEvents[K]) => void): unknown;
}

export type HotplugStatus = { available: true } | { available: false; reason: string };

/** The slice of `usb` (3.x, WebUSB-style) used here, typed locally so a missing module is only a runtime matter. */
interface RawUsbDevice {
  vendorId: number;
  productId: number;
  bus?: string;
  address?: number;
}
type ConnectionListener = (event: { device: RawUsbDevice }) => void;
export interface UsbModule {
  usb: {
    getDevices(): Promise<unknown[]>;
    addEventListener(type: 'connect' | 'disconnect', listener: ConnectionListener): void;
    removeEventListener(type: 'connect' | 'disconnect', listener: ConnectionListener): void;
  };
}

export interface UsbHotplugOptions {
  logger: Logger;
  /** Where the kernel exposes USB; only the test for a missing sysfs changes it. */
  sysUsbPath?: string;
  /** Loads the native module: the outermost OS edge, replaced only to test a failing load. */
  loadUsb?: () => Promise<UsbModule>;
}

export class UsbHotplug extends EventEmitter<UsbEvents> implements UsbEventSource {
  #close: () => void;

  constructor(
    readonly status: HotplugStatus,
    subscribe?: (hotplug: UsbHotplug) => () => void,
  ) {
    super();
    this.#close = subscribe ? subscribe(this) : () => undefined;
  }

  close(): void {
    this.#close();
    this.#close = () => undefined;
  }
}

function unavailable(logger: Logger, why: string): UsbHotplug {
  const reason = `hot-plug unavailable: ${why}; devices are polled instead`;
  logger.info(reason);
  return new UsbHotplug({ available: false, reason });
}

function toInfo(device: RawUsbDevice): UsbDeviceInfo {
  const info: UsbDeviceInfo = { vendorId: device.vendorId, productId: device.productId };
  if (device.bus !== undefined) info.bus = device.bus;
  if (device.address !== undefined) info.address = device.address;
  return info;
}

/** Never throws: every failure becomes an unavailable status with its reason. */
export async function startUsbHotplug(options: UsbHotplugOptions): Promise<UsbHotplug> {
  const { logger, sysUsbPath = '/sys/bus/usb' } = options;
  const loadUsb = options.loadUsb ?? (() => import('usb') as Promise<UsbModule>);
  // Checked before touching `usb`: its listener setup enumerates devices without a catch, and
  // without this sysfs tree that rejection is unhandled and takes the whole process down.
  if (!existsSync(sysUsbPath)) return unavailable(logger, `${sysUsbPath} not found (container or non-Linux host)`);
  let mod: UsbModule;
  try {
    mod = await loadUsb();
  } catch (err) {
    return unavailable(logger, `usb module failed to load (${errorMessage(err)})`);
  }
  try {
    // Same hazard as above on a host where sysfs exists but enumeration fails (permissions).
    await mod.usb.getDevices();
  } catch (err) {
    return unavailable(logger, `USB enumeration failed (${errorMessage(err)})`);
  }
  logger.info('USB hot-plug active');
  return new UsbHotplug({ available: true }, (hotplug) => {
    const onConnect: ConnectionListener = (event) => hotplug.emit('attach', toInfo(event.device));
    const onDisconnect: ConnectionListener = (event) => hotplug.emit('detach', toInfo(event.device));
    mod.usb.addEventListener('connect', onConnect);
    mod.usb.addEventListener('disconnect', onDisconnect);
    return () => {
      mod.usb.removeEventListener('connect', onConnect);
      mod.usb.removeEventListener('disconnect', onDisconnect);
    };
  });
}

function usbId(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  // Strings are hex, as lsusb prints them ("04a9" or "0x04a9").
  if (typeof value === 'string' && /^(0x)?[0-9a-f]{1,4}$/i.test(value)) return parseInt(value.replace(/^0x/i, ''), 16);
  return undefined;
}

/** Whether settings `options.usbVendorId` / `options.usbProductId` name this USB device. */
export function matchesUsbOptions(options: Record<string, unknown>, device: UsbDeviceInfo): boolean {
  const vendorId = usbId(options.usbVendorId);
  const productId = usbId(options.usbProductId);
  if (vendorId === undefined && productId === undefined) return false;
  return (vendorId === undefined || vendorId === device.vendorId) && (productId === undefined || productId === device.productId);
}
