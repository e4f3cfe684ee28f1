import { describe, expect, it } from 'vitest';
import { silentLogger } from '../log/logger.js';
import { BaseDevice, type DeviceEvent, type DeviceState } from './device.js';

/** Records what the base class asks of a driver, and lets the test decide how start/stop behave. */
class ProbeDevice extends BaseDevice {
  calls: string[] = [];
  startError: Error | undefined;
  startGate: Promise<void> = Promise.resolve();

  constructor() {
    super({ id: 'dev-1', kind: 'test', transport: 'simulated', logger: silentLogger() });
  }

  protected async onStart(): Promise<void> {
    this.calls.push('start:begin');
    await this.startGate;
    this.calls.push('start:end');
    if (this.startError) throw this.startError;
  }

  protected async onStop(): Promise<void> {
    this.calls.push('stop');
  }

  breakNow(message: string): void {
    this.fail(new Error(message));
  }

  goBusy(detail: string): void {
    this.setState('busy', detail);
  }
}

function record(device: BaseDevice): { states: DeviceState[]; events: DeviceEvent[] } {
  const states: DeviceState[] = [];
  const events: DeviceEvent[] = [];
  device.on('state', (info) => states.push(info.state));
  device.on('event', (event) => events.push(event));
  return { states, events };
}

describe('BaseDevice', () => {
  it('goes stopped → starting → ready → stopped and reports it', async () => {
    const device = new ProbeDevice();
    const seen = record(device);
    expect(device.info()).toMatchObject({ id: 'dev-1', kind: 'test', transport: 'simulated', state: 'stopped' });
    await device.start();
    await device.start(); // already ready: no second onStart
    expect(device.info().state).toBe('ready');
    await device.stop();
    expect(seen.states).toEqual(['starting', 'ready', 'stopped']);
    expect(device.calls).toEqual(['start:begin', 'start:end', 'stop']);
    expect(seen.events).toEqual([]);
  });

  it('a throwing onStart rejects start and leaves state error, lastError and an error event', async () => {
    const device = new ProbeDevice();
    device.startError = new Error('scanner not found');
    const seen = record(device);
    await expect(device.start()).rejects.toThrow('scanner not found');
    const info = device.info();
    expect(info.state).toBe('error');
    expect(info.detail).toBe('start failed: scanner not found');
    expect(info.lastError?.message).toBe('start failed: scanner not found');
    expect(Date.parse(info.lastError?.at ?? '')).not.toBeNaN();
    expect(seen.events).toEqual([{ device: 'dev-1', type: 'error', level: 'error', message: 'start failed: scanner not found' }]);
  });

  it('fail() while running means error; while stopped it is ignored', async () => {
    const device = new ProbeDevice();
    const seen = record(device);
    await device.start();
    device.goBusy('scanning page 2');
    expect(device.info()).toMatchObject({ state: 'busy', detail: 'scanning page 2' });
    device.breakNow('paper jam');
    expect(device.info()).toMatchObject({ state: 'error', detail: 'paper jam', lastError: { message: 'paper jam' } });
    await device.stop();
    device.breakNow('late serial callback');
    expect(device.info().state).toBe('stopped');
    expect(seen.events.map((e) => e.message)).toEqual(['paper jam']);
  });

  it('stop during start waits for onStart, then stops once', async () => {
    const device = new ProbeDevice();
    let open!: () => void;
    device.startGate = new Promise((resolve) => (open = resolve));
    const starting = device.start();
    const stopA = device.stop();
    const stopB = device.stop();
    open();
    await Promise.all([starting, stopA, stopB]);
    expect(device.calls).toEqual(['start:begin', 'start:end', 'stop']);
    expect(device.info().state).toBe('stopped');
  });

  it('disconnect releases the hardware and parks the device; a later stop has nothing to release', async () => {
    const device = new ProbeDevice();
    await device.start();
    await device.disconnect('USB device unplugged');
    expect(device.info()).toMatchObject({ state: 'disconnected', detail: 'USB device unplugged' });
    await device.stop();
    expect(device.calls.filter((c) => c === 'stop')).toHaveLength(1);
    expect(device.info().state).toBe('stopped');
  });
});
