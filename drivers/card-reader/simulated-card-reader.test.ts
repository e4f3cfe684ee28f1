import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../gateway/log/logger.js';
import type { CardTap } from './card-reader.js';
import { SimulatedCardReader } from './simulated-card-reader.js';

function reader(cards: string[], intervalMs = 1000) {
  const device = new SimulatedCardReader({ id: 'sim-reader', logger: silentLogger(), cards, intervalMs, debounceMs: 1500 });
  const taps: CardTap[] = [];
  device.onCard((tap) => taps.push(tap));
  return { device, taps };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('simulated card reader', () => {
  it('taps its cards in turn at the interval, and stops tapping when stopped', async () => {
    vi.useFakeTimers();
    const { device, taps } = reader(['04A224B2C35E80', '1A00C2E4F1'], 2000);
    await device.start();
    expect(device.info()).toMatchObject({ state: 'ready', detail: 'simulated reader, 2 cards tapped every 2 s' });
    vi.advanceTimersByTime(6000);
    expect(taps.map((t) => t.uid)).toEqual(['04A224B2C35E80', '1A00C2E4F1', '04A224B2C35E80']);
    expect(taps[0]).toMatchObject({ reader: 'sim-reader' });
    await device.stop();
    vi.advanceTimersByTime(6000);
    expect(taps).toHaveLength(3);
  });

  it('takes injected taps, normalised and debounced like a real reader', async () => {
    const { device, taps } = reader([]);
    await device.start();
    expect(device.tap('04:a2:24:b2')).toMatchObject({ uid: '04A224B2', reader: 'sim-reader' });
    expect(device.tap('04A224B2')).toBeNull();
    expect(taps.map((t) => t.uid)).toEqual(['04A224B2']);
    expect(device.stats()).toMatchObject({ reads: 2, taps: 1, repeats: 1 });
    await device.stop();
  });

  it('offers tap and stats as device actions, and refuses what is not a uid', async () => {
    const { device, taps } = reader([]);
    await expect(async () => device.tap('5C3E9A12')).rejects.toThrow('the simulated card reader sim-reader is stopped, not ready');
    await device.start();
    const actions = device.actions();
    await expect(actions.tap!({ uid: '5C3E9A12' })).resolves.toMatchObject({ tap: { uid: '5C3E9A12' } });
    await expect(actions.tap!({ uid: 'not-a-card' })).rejects.toThrow('not a card uid: "not-a-card"');
    await expect(actions.tap!({})).rejects.toThrow('tap: args must be {"uid":"<hex card uid>"}');
    await expect(actions.stats!(undefined)).resolves.toMatchObject({ taps: 1 });
    expect(taps).toHaveLength(1);
    await device.stop();
  });

  it('a throwing listener does not cost the others their tap', async () => {
    const { device, taps } = reader([]);
    device.onCard(() => {
      throw new Error('broken consumer');
    });
    const unsubscribe = device.onCard((tap) => taps.push(tap));
    await device.start();
    device.tap('5C3E9A12');
    unsubscribe();
    device.tap('1A00C2E4F1');
    expect(taps.map((t) => t.uid)).toEqual(['5C3E9A12', '5C3E9A12', '1A00C2E4F1']);
    await device.stop();
  });
});
