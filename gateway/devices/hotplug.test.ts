import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../log/logger.js';
import { matchesUsbOptions, startUsbHotplug, type UsbDeviceInfo, type UsbModule } from './hotplug.js';

const logger = silentLogger();
const dirs: string[] = [];
function fakeSysfs(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sys-bus-usb-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('startUsbHotplug on this host', () => {
  it('reports hot-plug unavailable where /sys/bus/usb is missing (containers), else subscribes', async () => {
    const hotplug = await startUsbHotplug({ logger });
    expect(hotplug.status).toEqual(
      existsSync('/sys/bus/usb')
        ? { available: true }
        : { available: false, reason: 'hot-plug unavailable: /sys/bus/usb not found (container or non-Linux host); devices are polled instead' },
    );
    hotplug.close();
  });

  it('survives the real usb module failing to enumerate (sysfs path present, devices absent)', async () => {
    // Subscribing through `usb` here would crash the process with an unhandled rejection;
    // the enumeration check must turn that into a status instead.
    const hotplug = await startUsbHotplug({ logger, sysUsbPath: fakeSysfs() });
    if (existsSync('/sys/bus/usb/devices')) {
      expect(hotplug.status).toEqual({ available: true });
    } else {
      expect(hotplug.status).toEqual({
        available: false,
        reason: expect.stringMatching(/^hot-plug unavailable: USB enumeration failed \(.*\/sys\/bus\/usb\/devices.*\); devices are polled instead$/),
      });
    }
    hotplug.close();
  });
});

describe('startUsbHotplug at the native edge', () => {
  it('a missing sysfs tree is reported with its path', async () => {
    const hotplug = await startUsbHotplug({ logger, sysUsbPath: join(fakeSysfs(), 'absent') });
    expect(hotplug.status).toMatchObject({ available: false, reason: expect.stringContaining('/absent not found') });
  });

  it('a usb module that fails to load is reported, not thrown', async () => {
    const hotplug = await startUsbHotplug({
      logger,
      sysUsbPath: fakeSysfs(),
      loadUsb: () => Promise.reject(new Error('libusb-1.0.so.0: cannot open shared object file')),
    });
    expect(hotplug.status).toEqual({
      available: false,
      reason: 'hot-plug unavailable: usb module failed to load (libusb-1.0.so.0: cannot open shared object file); devices are polled instead',
    });
  });

  it('turns usb connect/disconnect into attach/detach with ids, and close() unsubscribes', async () => {
    type Listener = Parameters<UsbModule['usb']['addEventListener']>[1];
    const listeners = new Map<string, Set<Listener>>();
    const fakeUsb: UsbModule = {
      usb: {
        getDevices: async () => [],
        addEventListener: (type, listener) => void listeners.set(type, (listeners.get(type) ?? new Set()).add(listener)),
        removeEventListener: (type, listener) => void listeners.get(type)?.delete(listener),
      },
    };
    const dispatch = (type: string, device: Parameters<Listener>[0]['device']): void => {
      for (const listener of listeners.get(type) ?? []) listener({ device });
    };
    const hotplug = await startUsbHotplug({ logger, sysUsbPath: fakeSysfs(), loadUsb: async () => fakeUsb });
    expect(hotplug.status).toEqual({ available: true });
    const seen: [string, UsbDeviceInfo][] = [];
    hotplug.on('attach', (info) => seen.push(['attach', info]));
    hotplug.on('detach', (info) => seen.push(['detach', info]));

    dispatch('connect', { vendorId: 0x04a9, productId: 0x1913, bus: '1-1.2', address: 7 });
    dispatch('disconnect', { vendorId: 0x04a9, productId: 0x1913 });
    expect(seen).toEqual([
      ['attach', { vendorId: 0x04a9, productId: 0x1913, bus: '1-1.2', address: 7 }],
      ['detach', { vendorId: 0x04a9, productId: 0x1913 }],
    ]);
    hotplug.close();
    dispatch('connect', { vendorId: 0x04a9, productId: 0x1913 });
    expect(seen).toHaveLength(2);
    expect([...listeners.values()].every((set) => set.size === 0)).toBe(true);
  });
});

describe('matchesUsbOptions', () => {
  const canon: UsbDeviceInfo = { vendorId: 0x04a9, productId: 0x1913 };
  it.each([
    [{ usbVendorId: '04a9', usbProductId: '1913' }, true],
    [{ usbVendorId: '0x04A9', usbProductId: 0x1913 }, true],
    [{ usbVendorId: 0x04a9 }, true],
    [{ usbVendorId: 0x04a9, usbProductId: 0x1914 }, false],
    [{ usbProductId: '1913' }, true],
    [{ usbVendorId: 'canon' }, false],
    [{}, false],
  ])('%o → %s', (options, expected) => {
    expect(matchesUsbOptions(options, canon)).toBe(expected);
  });
});
