import { open } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceEvent } from '../../gateway/devices/device.js';
import { silentLogger } from '../../gateway/log/logger.js';
import { socatPtyPair } from '../../gateway/test-support/pty-pair.js';
import { runHubOnPort, type HubOnPort } from '../../scripts/pens/hub-on-port.js';
import type { HubEvent } from './pen-hub.js';
import { SerialPenHub } from './serial-pen-hub.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => undefined);
});

async function ptyPair() {
  const pair = await socatPtyPair();
  cleanup.push(() => pair.close());
  return pair;
}

async function hubOverPty(opts: { pens: number; faults: boolean }) {
  const { hub: hubPath, host, close } = await ptyPair();
  const simulator: HubOnPort = await runHubOnPort({ port: hubPath, pens: opts.pens, faults: opts.faults, seed: 3 });
  cleanup.push(() => simulator.stop());
  const device = new SerialPenHub({ id: 'hub', logger: silentLogger(), path: host });
  cleanup.push(() => device.stop());
  const events: HubEvent[] = [];
  const deviceEvents: DeviceEvent[] = [];
  device.onEvent((e) => events.push(e));
  device.on('event', (e) => deviceEvents.push(e));
  await device.start();
  return { device, simulator, close, events, deviceEvents };
}

describe('serial pen hub over a real pty (socat)', () => {
  it('pens connect, finish the handshake and stream strokes with their coordinates', async () => {
    const { device, events } = await hubOverPty({ pens: 4, faults: false });
    await expect.poll(() => device.pens().filter((p) => p.ready).length, { timeout: 15_000 }).toBe(4);
    await expect.poll(() => events.filter((e) => e.type === 'up').length, { timeout: 15_000 }).toBeGreaterThan(4);
    const up = events.find((e) => e.type === 'up')!;
    const stroke = events.filter((e) => e.pen === up.pen && e.type === 'dot' && events.indexOf(e) < events.indexOf(up));
    expect(up).toMatchObject({ dotCount: stroke.length });
    // The random scripts write inside the page's answer area (Ncode units).
    expect(stroke.every((d) => d.type === 'dot' && d.x >= 8 && d.x <= 90 && d.y >= 5 && d.y <= 125)).toBe(true);
    expect(device.stats().garbageBytes).toBe(0);
  });

  it('with faults, counts the garbage and keeps parsing', async () => {
    const { device, events } = await hubOverPty({ pens: 10, faults: true });
    await expect.poll(() => device.stats().garbageBytes, { timeout: 20_000 }).toBeGreaterThan(0);
    const before = events.filter((e) => e.type === 'dot').length;
    await expect.poll(() => events.filter((e) => e.type === 'dot').length, { timeout: 10_000 }).toBeGreaterThan(before + 100);
  });

  it('goes disconnected when the hub side of the port goes away', async () => {
    const { device, simulator, close } = await hubOverPty({ pens: 2, faults: false });
    await expect.poll(() => device.pens().length, { timeout: 10_000 }).toBe(2);
    // Like pulling the USB cable: the simulator's port closes and the pty pair vanishes.
    await simulator.stop();
    await close();
    await expect.poll(() => device.info().state, { timeout: 10_000 }).toBe('disconnected');
    expect(device.info().detail).toMatch(/serial port .* (closed|failed)/);
    expect(device.pens()).toEqual([]);
  });

  it('keeps every byte of writes made faster than the port takes them, in order', async () => {
    // The handshake of 40 pens is written in a burst; the port's buffer fills and the writes must
    // queue (overlapping writes at a full pty once spun a core and could interleave).
    class WritingHub extends SerialPenHub {
      send(bytes: Buffer): void {
        this.write(bytes);
      }
    }
    const { hub, host } = await ptyPair();
    const device = new WritingHub({ id: 'hub', logger: silentLogger(), path: host });
    cleanup.push(() => device.stop());
    await device.start();
    const chunks = Array.from({ length: 48 }, (_, i) => Buffer.alloc(16 * 1024, i + 1));
    for (const chunk of chunks) device.send(chunk);
    const expected = Buffer.concat(chunks);
    // Only now does the other end start reading: by then the pty and socat's buffers are full.
    await new Promise((r) => setTimeout(r, 300));
    const other = await open(hub, 'r');
    cleanup.push(() => other.close());
    // Before our chunks the hub wrote its own greeting (a few bytes): the chunks follow whole.
    let received = Buffer.alloc(0);
    while (received.length < expected.length + 64 && received.indexOf(expected) < 0) {
      const { bytesRead, buffer } = await other.read(Buffer.alloc(64 * 1024), 0, 64 * 1024, null);
      received = Buffer.concat([received, buffer.subarray(0, bytesRead)]);
    }
    expect(received.indexOf(expected)).toBeGreaterThanOrEqual(0);
    expect(device.info().state).toBe('ready');
  });
});
