import { afterEach, describe, expect, it } from 'vitest';
import type { Device } from '../../gateway/devices/device.js';
import { silentLogger } from '../../gateway/log/logger.js';
import { penHubDriver, type HubEvent, type PenHub } from './index.js';

const ctx = { logger: silentLogger() };
const create = (transport: 'real' | 'simulated', options: Record<string, unknown>) => () => penHubDriver().create({ id: 'pens', kind: 'pen-hub', transport, options }, ctx);

const started: Device[] = [];
afterEach(async () => {
  for (const d of started.splice(0)) await d.stop();
});

describe('pen hub driver factory', () => {
  it('names the bad option and what is allowed', () => {
    expect(create('real', {})).toThrow('devices[pens].options.path: required');
    expect(create('real', { path: 7 })).toThrow('devices[pens].options.path: allowed: a serial port path such as "/dev/ttyACM0"; found 7');
    expect(create('real', { path: '/dev/ttyACM0', baudRate: 'fast' })).toThrow('devices[pens].options.baudRate: allowed: a whole number from 1200 to 4000000; found "fast"');
    expect(create('simulated', { pens: 65 })).toThrow('devices[pens].options.pens: allowed: a whole number from 1 to 64; found 65');
    expect(create('simulated', { faults: 'yes' })).toThrow('devices[pens].options.faults: allowed: true, false; found "yes"');
    expect(create('simulated', { seed: -1 })).toThrow('devices[pens].options.seed');
    expect(create('simulated', { speed: 0 })).toThrow('devices[pens].options.speed: allowed: a whole number from 1 to 100; found 0');
    expect(create('simulated', { path: '/dev/ttyACM0' })).toThrow('devices[pens].options.path: not an option of a simulated pen hub; allowed: "pens", "faults", "seed", "speed"');
  });

  it('hands the scripts the class size and the pace asked for (30× by default)', () => {
    const asked: [number, number][] = [];
    const driver = penHubDriver({ scripts: (count, speed) => (asked.push([count, speed]), []) });
    driver.create({ id: 'pens', kind: 'pen-hub', transport: 'simulated', options: { pens: 5 } }, ctx);
    driver.create({ id: 'pens', kind: 'pen-hub', transport: 'simulated', options: { speed: 1 } }, ctx);
    expect(asked).toEqual([[5, 30], [40, 1]]);
  });

  it('builds the serial hub for real and the in-process simulator for simulated', () => {
    expect(create('real', { path: '/dev/ttyACM0', baudRate: 921600 })()).toMatchObject({ kind: 'pen-hub', transport: 'real' });
    expect(create('simulated', {})()).toMatchObject({ kind: 'pen-hub', transport: 'simulated' });
  });

  it('a missing serial port is a clear start error', async () => {
    const hub = create('real', { path: '/dev/ttyACM-none' })();
    await expect(hub.start()).rejects.toThrow('serial port /dev/ttyACM-none not found: is the pen hub plugged in?');
    expect(hub.info().state).toBe('error');
  });

  it('the simulated hub brings its pens to ready and streams their writing', async () => {
    const hub = create('simulated', { pens: 3, seed: 2 })() as Device & PenHub;
    started.push(hub);
    const dots: HubEvent[] = [];
    hub.onEvent((e) => e.type === 'dot' && dots.push(e));
    await hub.start();
    await expect.poll(() => hub.pens().filter((p) => p.ready).length, { timeout: 10_000 }).toBe(3);
    await expect.poll(() => dots.length, { timeout: 10_000 }).toBeGreaterThan(50);
    expect(dots[0]!.pen).toMatch(/^pens\/[0-2]$/);
  });
});
