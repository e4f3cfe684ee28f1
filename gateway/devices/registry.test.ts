import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../log/logger.js';
import type { DeviceSettings } from '../settings/types.js';
import { BaseDevice, type DeviceAction, type DeviceEvent } from './device.js';
import type { UsbEvents } from './hotplug.js';
import { DeviceActionError, DeviceRegistry, type DeviceConfig, type DeviceDriver, type DeviceRegistryOptions, type ManagedDeviceInfo } from './registry.js';

/** How a test driver's devices behave; each driver below is one row of this. */
interface Behaviour {
  startError?: string;
  /** Fails this long after every successful start, like a serial port that keeps dropping. */
  failAfterMs?: number;
  /** Start/stop wait on these gates; a gate that never opens is a hung driver. */
  startGate?: Promise<void>;
  stopGate?: Promise<void>;
  /** Hardware presence for USB tests: start fails while false. */
  present?: { value: boolean };
}

class TestDevice extends BaseDevice {
  starts = 0;
  #failTimer: NodeJS.Timeout | undefined;

  constructor(
    config: DeviceConfig,
    private readonly behaviour: Behaviour,
  ) {
    super({ id: config.id, kind: config.kind, transport: config.transport, logger: silentLogger() });
  }

  protected async onStart(): Promise<void> {
    this.starts++;
    await this.behaviour.startGate;
    if (this.behaviour.startError) throw new Error(this.behaviour.startError);
    if (this.behaviour.present && !this.behaviour.present.value) throw new Error('device not present');
    const { failAfterMs } = this.behaviour;
    if (failAfterMs !== undefined) this.#failTimer = setTimeout(() => this.fail(new Error('serial port closed')), failAfterMs);
  }

  protected async onStop(): Promise<void> {
    clearTimeout(this.#failTimer);
    await this.behaviour.stopGate;
  }

  override actions(): Record<string, DeviceAction> {
    return { echo: async (args) => ({ echoed: args }) };
  }

  breakNow(): void {
    this.fail(new Error('port lost'));
  }
}

function driver(behaviour: Behaviour, extra: Partial<DeviceDriver> = {}): DeviceDriver & { created: TestDevice[] } {
  const created: TestDevice[] = [];
  return {
    created,
    create(config) {
      const device = new TestDevice(config, behaviour);
      created.push(device);
      return device;
    },
    ...extra,
  };
}

function cfg(id: string, kind: string, more: Partial<DeviceConfig> = {}): DeviceConfig {
  return { id, kind, transport: 'simulated', enabled: true, options: {}, ...more };
}

let registry: DeviceRegistry | undefined;
afterEach(async () => {
  await registry?.stopAll();
  registry = undefined;
  vi.useRealTimers();
});

function makeRegistry(options: Partial<DeviceRegistryOptions> = {}): { registry: DeviceRegistry; events: DeviceEvent[]; states: ManagedDeviceInfo[] } {
  registry = new DeviceRegistry({ logger: silentLogger(), ...options });
  const events: DeviceEvent[] = [];
  const states: ManagedDeviceInfo[] = [];
  registry.on('event', (event) => events.push(event));
  registry.on('state', (info) => states.push(info));
  return { registry, events, states };
}

const byId = (r: DeviceRegistry, id: string): ManagedDeviceInfo | undefined => r.list().find((d) => d.id === id);

describe('DeviceRegistry', () => {
  it('starts every device; a failing one, an unknown kind and bad settings never stop the others', async () => {
    const { registry, events, states } = makeRegistry();
    const good = driver({});
    const disabledKind = driver({});
    registry.registerDriver('good', good);
    registry.registerDriver('broken', driver({ startError: 'no scanner on the bus' }));
    registry.registerDriver('picky', { create: () => { throw new Error('options.port is required'); } });
    registry.registerDriver('spare', disabledKind);
    registry.load([cfg('a', 'good'), cfg('b', 'broken'), cfg('c', 'teleporter'), cfg('d', 'picky'), cfg('e', 'spare', { enabled: false }), cfg('a', 'broken')]);
    await registry.startAll();

    expect(registry.list().map((d) => [d.id, d.state])).toEqual([['a', 'ready'], ['b', 'error'], ['c', 'error'], ['d', 'error'], ['e', 'stopped']]);
    expect(byId(registry, 'b')?.lastError?.message).toBe('start failed: no scanner on the bus');
    expect(byId(registry, 'c')?.detail).toBe('start failed: no driver for kind "teleporter" (registered: good, broken, picky, spare)');
    expect(byId(registry, 'd')?.detail).toBe('start failed: driver "picky" rejected the settings: options.port is required');
    expect(byId(registry, 'e')).toMatchObject({ enabled: false, detail: 'disabled in settings' });
    expect(disabledKind.created).toHaveLength(0);
    expect(good.created).toHaveLength(1); // the duplicate id "a" was dropped, not created

    // Device states and events reach registry listeners, with the registry's bookkeeping added.
    expect(states.filter((s) => s.id === 'a').map((s) => s.state)).toEqual(['starting', 'ready']);
    expect(states.at(-1)).toHaveProperty('restarts', 0);
    expect(events).toContainEqual({ device: 'b', type: 'error', level: 'error', message: 'start failed: no scanner on the bus' });
    // Only the real driver failure is retried: configuration problems cannot fix themselves.
    expect(events.filter((e) => e.type === 'restart-scheduled').map((e) => e.device)).toEqual(['b']);
  });

  it('restarts a device that cannot start with backoff 1 s, 2 s, 4 s … capped at 60 s, counting restarts', async () => {
    vi.useFakeTimers();
    const { registry, events } = makeRegistry();
    const broken = driver({ startError: 'no scanner on the bus' });
    registry.registerDriver('broken', broken);
    registry.load([cfg('s', 'broken')]);
    await registry.startAll();
    const delays = (): unknown[] => events.filter((e) => e.type === 'restart-scheduled').map((e) => e.data?.delayMs);
    expect(delays()).toEqual([1000]);
    expect(byId(registry, 's')?.nextRestartAt).toBe(new Date(Date.now() + 1000).toISOString());

    await vi.advanceTimersByTimeAsync(999);
    expect(broken.created[0]?.starts).toBe(1);
    for (const delay of [1, 2000, 4000, 8000, 16000, 32000, 60000, 60000]) await vi.advanceTimersByTimeAsync(delay);
    expect(delays()).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
    expect(broken.created[0]?.starts).toBe(9);
    expect(byId(registry, 's')).toMatchObject({ state: 'error', restarts: 8 });
  });

  it('restarts a device that fails after a while; flapping escalates, a stable run resets the backoff', async () => {
    vi.useFakeTimers();
    const { registry, events } = makeRegistry();
    const flaky = driver({ failAfterMs: 500 });
    const steady = driver({});
    registry.registerDriver('flaky', flaky);
    registry.registerDriver('steady', steady);
    registry.load([cfg('f', 'flaky'), cfg('g', 'steady')]);
    await registry.startAll();
    const delaysOf = (id: string): unknown[] => events.filter((e) => e.type === 'restart-scheduled' && e.device === id).map((e) => e.data?.delayMs);

    await vi.advanceTimersByTimeAsync(500);
    expect(byId(registry, 'f')).toMatchObject({ state: 'error', lastError: { message: 'serial port closed' } });
    await vi.advanceTimersByTimeAsync(1000);
    expect(byId(registry, 'f')).toMatchObject({ state: 'ready', restarts: 1 });
    await vi.advanceTimersByTimeAsync(500 + 2000 + 500);
    expect(delaysOf('f')).toEqual([1000, 2000, 4000]);

    const device = steady.created[0];
    if (!device) throw new Error('steady device not created');
    device.breakNow();
    await vi.advanceTimersByTimeAsync(1000);
    device.breakNow(); // ready only briefly: escalates
    await vi.advanceTimersByTimeAsync(2000);
    expect(byId(registry, 'g')?.state).toBe('ready');
    await vi.advanceTimersByTimeAsync(60_000);
    device.breakNow(); // after a minute of good service: back to the first delay
    expect(delaysOf('g')).toEqual([1000, 2000, 1000]);
    expect(byId(registry, 'f')?.state).toBe('error'); // the flaky one kept failing on its own schedule
  });

  it('runs actions and refuses unknown devices, unknown actions and devices that are not ready', async () => {
    const { registry } = makeRegistry();
    registry.registerDriver('scanner', driver({}));
    registry.registerDriver('broken', driver({ startError: 'lamp failure' }));
    // The settings' own device entries load as they are.
    const fromSettings: DeviceSettings = { id: 'a', kind: 'scanner', transport: 'simulated', enabled: true, options: {} };
    registry.load([fromSettings, cfg('b', 'broken')]);
    await registry.startAll();

    await expect(registry.runAction('a', 'echo', { page: 1 })).resolves.toEqual({ echoed: { page: 1 } });
    const refusal = (id: string, action: string): Promise<unknown> => registry.runAction(id, action, {}).catch((err: unknown) => err);
    const unknownDevice = await refusal('zz', 'echo');
    expect(unknownDevice).toBeInstanceOf(DeviceActionError);
    expect(unknownDevice).toMatchObject({ code: 'unknown-device', message: 'unknown device "zz"' });
    expect(await refusal('a', 'toString')).toMatchObject({ code: 'unknown-action', message: 'device "a" (scanner) has no action "toString" (offers: echo)' });
    expect(await refusal('b', 'echo')).toMatchObject({ code: 'not-ready', message: 'device "b" is not ready (error: start failed: lamp failure)' });
  });

  it('stopAll is bounded by the per-device stop timeout and cancels pending restarts', async () => {
    const { registry } = makeRegistry({ stopTimeoutMs: 100, backoff: { initialMs: 50 } });
    const broken = driver({ startError: 'no scanner' });
    let release!: () => void;
    registry.registerDriver('slow-stop', driver({ stopGate: new Promise((resolve) => (release = resolve)) }));
    registry.registerDriver('good', driver({}));
    registry.registerDriver('broken', broken);
    registry.load([cfg('slow', 'slow-stop'), cfg('a', 'good'), cfg('b', 'broken')]);
    await registry.startAll();

    const began = Date.now();
    const report = await registry.stopAll();
    expect(Date.now() - began).toBeLessThan(1000);
    expect(report).toEqual({ stopped: ['a', 'b'], timedOut: ['slow'], failed: [] });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(broken.created[0]?.starts).toBe(1); // its 50 ms restart never ran
    expect(byId(registry, 'b')).toMatchObject({ state: 'stopped', restarts: 0 });
    expect(byId(registry, 'b')?.nextRestartAt).toBeUndefined();
    release();
  });

  it('startAll does not wait forever for a hung driver', async () => {
    const { registry } = makeRegistry({ startTimeoutMs: 50 });
    let open!: () => void;
    registry.registerDriver('hung', driver({ startGate: new Promise((resolve) => (open = resolve)) }));
    registry.load([cfg('h', 'hung')]);
    await registry.startAll();
    expect(byId(registry, 'h')?.state).toBe('starting');
    open();
    await vi.waitFor(() => expect(byId(registry, 'h')?.state).toBe('ready'));
  });

  it('probes every driver that can, reporting failures per kind', async () => {
    const { registry } = makeRegistry({ probeTimeoutMs: 50 });
    registry.registerDriver('scanner', driver({}, { probe: async () => [{ description: 'Canon LiDE 300', options: { saneDevice: 'pixma:04A91913' } }] }));
    registry.registerDriver('camera', driver({}, { probe: async () => { throw new Error('ffmpeg not installed'); } }));
    registry.registerDriver('rfid', driver({}, { probe: () => new Promise(() => undefined) }));
    registry.registerDriver('plain', driver({}));
    expect(await registry.probeAll()).toEqual({
      scanner: [{ description: 'Canon LiDE 300', options: { saneDevice: 'pixma:04A91913' } }],
      camera: { error: 'ffmpeg not installed' },
      rfid: { error: 'probe rfid timed out after 50 ms' },
    });
  });

  it('follows USB hot-plug: detach parks matching real devices, attach restarts them at once', async () => {
    const { registry, events } = makeRegistry({ backoff: { initialMs: 60_000 } });
    const present = { value: true };
    const ids = { usbVendorId: '04a9', usbProductId: 0x1913 };
    const scanners = driver({ present });
    registry.registerDriver('scanner', scanners);
    registry.registerDriver('pen-hub', driver({}, { matchUsb: (usb) => usb.vendorId === 0x2fe3 }));
    registry.load([
      cfg('scan', 'scanner', { transport: 'real', options: ids }),
      cfg('scan-sim', 'scanner', { transport: 'simulated', options: ids }),
      cfg('pens', 'pen-hub', { transport: 'real' }),
    ]);
    const usb = new EventEmitter<UsbEvents>();
    const unsubscribe = registry.useHotplug(usb);
    await registry.startAll();
    const states = (): Record<string, string> => Object.fromEntries(registry.list().map((d) => [d.id, d.state]));
    expect(states()).toEqual({ scan: 'ready', 'scan-sim': 'ready', pens: 'ready' });
    usb.emit('attach', { vendorId: 0x04a9, productId: 0x1913, bus: '1-1.3', address: 9 }); // a second unit: leave the working one alone
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(byId(registry, 'scan')).toMatchObject({ state: 'ready', restarts: 0 });

    usb.emit('detach', { vendorId: 0x1234, productId: 0x1913 }); // someone else's device
    usb.emit('detach', { vendorId: 0x2fe3, productId: 0x0001 });
    usb.emit('detach', { vendorId: 0x04a9, productId: 0x1913, bus: '1-1.2', address: 7 });
    await vi.waitFor(() => expect(states()).toEqual({ scan: 'disconnected', 'scan-sim': 'ready', pens: 'disconnected' }));
    expect(byId(registry, 'scan')?.detail).toBe('USB device unplugged');
    expect(events.filter((e) => e.type === 'usb-detach').map((e) => e.device)).toEqual(['pens', 'scan']);

    usb.emit('attach', { vendorId: 0x04a9, productId: 0x1913, bus: '1-1.2', address: 8 });
    await vi.waitFor(() => expect(byId(registry, 'scan')).toMatchObject({ state: 'ready', restarts: 1 }));

    // Failed and waiting a minute for its retry: plugging it back in retries now.
    present.value = false;
    scanners.created[0]?.breakNow();
    expect(byId(registry, 'scan')?.nextRestartAt).toBeDefined();
    present.value = true;
    usb.emit('attach', { vendorId: 0x04a9, productId: 0x1913 });
    await vi.waitFor(() => expect(byId(registry, 'scan')).toMatchObject({ state: 'ready', restarts: 2 }));
    expect(byId(registry, 'scan')?.nextRestartAt).toBeUndefined();

    unsubscribe();
    usb.emit('attach', { vendorId: 0x2fe3, productId: 0x0001 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(byId(registry, 'pens')?.state).toBe('disconnected');
    expect(events.filter((e) => e.type === 'usb-attach').map((e) => e.device)).toEqual(['scan', 'scan']);
  });
});
