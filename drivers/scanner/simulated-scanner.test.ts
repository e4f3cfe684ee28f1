import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { DeviceEvent } from '../../gateway/devices/device.js';
import { silentLogger } from '../../gateway/log/logger.js';
import type { ScannedPage } from './scanner.js';
import { SimulatedScanner, type SimulatedScannerOptions } from './simulated-scanner.js';

async function started(options: Partial<SimulatedScannerOptions> = {}) {
  const scanner = new SimulatedScanner({ id: 'scanner-1', logger: silentLogger(), pageDelayMs: 5, ...options });
  const pages: ScannedPage[] = [];
  const events: DeviceEvent[] = [];
  scanner.onPage((p) => pages.push(p));
  scanner.on('event', (e) => events.push(e));
  await scanner.start();
  return { scanner, pages, events };
}

describe('simulated scanner', () => {
  it('hands on decodable pages one by one, numbered within the batch, then ends with the feeder empty', async () => {
    const { scanner, pages, events } = await started();
    const states: string[] = [];
    scanner.on('state', (s) => states.push(s.state));
    const summary = await scanner.scan();
    expect(summary).toMatchObject({ pages: 3, outcome: 'feeder-empty' });
    expect(pages.map((p) => [p.index, p.batchId])).toEqual([1, 2, 3].map((i) => [i, summary.batchId]));
    const meta = await sharp(pages[0]!.image).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 827, 1169]);
    expect(states).toEqual(['busy', 'ready']);
    expect(events.at(-1)).toMatchObject({ type: 'batch-done', level: 'info' });
  });

  it('scans both sides in a duplex batch, the backs blank, and stops after maxPages sides', async () => {
    const { scanner, pages } = await started({ pageDelayMs: 1 });
    expect(await scanner.scan({ duplex: true })).toMatchObject({ pages: 6, outcome: 'feeder-empty' });
    expect(pages.map((p) => p.side)).toEqual(['front', 'back', 'front', 'back', 'front', 'back']);
    const back = await sharp(pages[1]!.image).stats();
    expect(back.channels.every((c) => c.min > 240)).toBe(true);
    expect(await scanner.scan({ duplex: true, maxPages: 3 })).toMatchObject({ pages: 3, outcome: 'completed' });
  });

  it('refuses a second scan while one runs, and cancels on request', async () => {
    const { scanner, pages } = await started({ pageDelayMs: 200 });
    const first = scanner.scan({ maxPages: 10 });
    await expect(scanner.scan()).rejects.toThrow('a scan is already running');
    await new Promise((r) => setTimeout(r, 450));
    await scanner.cancel();
    expect(await first).toMatchObject({ outcome: 'cancelled' });
    expect(pages.length).toBeGreaterThanOrEqual(1);
    expect(pages.length).toBeLessThan(10);
  });

  it('reports a jam after the pages already scanned, which stay delivered', async () => {
    const { scanner, pages, events } = await started({ jamAfter: 2 });
    expect(await scanner.scan({ maxPages: 5 })).toMatchObject({ outcome: 'jammed', pages: 2 });
    expect(pages).toHaveLength(2);
    expect(events.at(-1)).toMatchObject({ type: 'paper-jam', level: 'error' });
    expect(scanner.info().state).toBe('ready');
  });

  it('warns when there is no paper, and fails to start with the cover open', async () => {
    const { scanner, events } = await started({ emptyFeeder: true });
    expect(await scanner.scan()).toMatchObject({ outcome: 'feeder-empty', pages: 0 });
    expect(events.at(-1)).toMatchObject({ type: 'no-paper', level: 'warning' });
    const open = new SimulatedScanner({ id: 's2', logger: silentLogger(), coverOpen: true });
    await expect(open.start()).rejects.toThrow(/cover open/);
    expect(open.info()).toMatchObject({ state: 'error', detail: expect.stringContaining('cover open') });
  });

  it('validates scan arguments from the outside world', async () => {
    const { scanner } = await started();
    await expect(scanner.actions().scan!({ resolution: 'high' })).rejects.toThrow(/resolution/);
    await expect(scanner.actions().scan!({ maxPages: 0 })).rejects.toThrow(/maxPages/);
  });
});
