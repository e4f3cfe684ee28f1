import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { DeviceEvent } from '../../gateway/devices/device.js';
import { silentLogger } from '../../gateway/log/logger.js';
import { parseSources, SaneScanner, type SaneScannerOptions } from './sane-scanner.js';
import type { ScannedPage } from './scanner.js';

/**
 * SANE's `test` backend is a real SANE device: its feeder runs empty after 10 sheets. It makes
 * pages in microseconds, so how early a page is handed on is not measurable with it; the
 * simulator's tests cover cancelling a batch half-way.
 */
async function testScanner(options: Partial<SaneScannerOptions> = {}) {
  const scanner = new SaneScanner({ id: 'scanner-1', logger: silentLogger(), device: 'test', resolution: 50, ...options });
  const pages: ScannedPage[] = [];
  const events: DeviceEvent[] = [];
  const pageTimes: number[] = [];
  scanner.onPage((p) => {
    pages.push(p);
    pageTimes.push(Date.now());
  });
  scanner.on('event', (e) => events.push(e));
  await scanner.start();
  return { scanner, pages, events, pageTimes };
}

describe('SANE scanner (scanimage with the SANE test backend)', () => {
  it('finds the feeder among the sources the device offers', async () => {
    const { scanner } = await testScanner();
    expect(scanner.info()).toMatchObject({ state: 'ready', detail: 'test (Automatic Document Feeder)' });
    expect(parseSources('    --source Flatbed|ADF Front|ADF Duplex [Flatbed]\n')).toEqual(['Flatbed', 'ADF Front', 'ADF Duplex']);
  });

  it('scans the feeder until it is empty, handing on each page in order', async () => {
    const { scanner, pages, events, pageTimes } = await testScanner();
    const summary = await scanner.scan();
    expect(summary).toMatchObject({ outcome: 'feeder-empty', pages: 10 });
    expect(pages.map((p) => p.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(pageTimes).toEqual([...pageTimes].sort((a, b) => a - b));
    const meta = await sharp(pages[0]!.image).metadata();
    // The test backend's default scan area is 80 mm wide: 157 px at the 50 dpi asked for.
    expect(meta.width).toBeCloseTo((80 / 25.4) * 50, -1);
    expect(meta.format).toBe('png');
    expect(events.at(-1)).toMatchObject({ type: 'batch-done', level: 'info' });
  });

  it('refuses a duplex batch on a scanner without a duplex source instead of scanning only the fronts', async () => {
    const { scanner, pages, events } = await testScanner();
    const summary = await scanner.scan({ duplex: true });
    expect(summary).toMatchObject({ outcome: 'failed', pages: 0 });
    expect(events.at(-1)?.message).toMatch(/no duplex source \(it has: Flatbed, Automatic Document Feeder\)/);
    expect(pages).toHaveLength(0);
  });

  it('hands on duplex pages as front, back, front, back from a source named in the options', async () => {
    const { scanner, pages } = await testScanner({ duplexSource: 'Automatic Document Feeder' });
    expect(await scanner.scan({ duplex: true, maxPages: 4 })).toMatchObject({ outcome: 'completed', pages: 4 });
    expect(pages.map((p) => p.side)).toEqual(['front', 'back', 'front', 'back']);
  });

  it('stops after maxPages', async () => {
    const { scanner, pages } = await testScanner();
    expect(await scanner.scan({ maxPages: 3 })).toMatchObject({ outcome: 'completed', pages: 3 });
    expect(pages).toHaveLength(3);
  });

  const faults: [string, string, string, string][] = [
    ['SANE_STATUS_JAMMED', 'jammed', 'paper-jam', 'error'],
    ['SANE_STATUS_NO_DOCS', 'feeder-empty', 'no-paper', 'warning'],
    ['SANE_STATUS_COVER_OPEN', 'cover-open', 'cover-open', 'error'],
    ['SANE_STATUS_IO_ERROR', 'failed', 'failed', 'error'],
  ];
  for (const [status, outcome, event, level] of faults) {
    it(`reports ${status} as ${outcome} without handing on a partial page`, async () => {
      const { scanner, pages, events } = await testScanner({ extraArgs: ['--read-return-value', status] });
      expect(await scanner.scan()).toMatchObject({ outcome, pages: 0 });
      expect(pages).toHaveLength(0);
      expect(events.at(-1)).toMatchObject({ type: event, level });
      expect(scanner.info().state).toBe('ready');
    });
  }

  it('fails to start with a clear message when the device does not exist', async () => {
    const scanner = new SaneScanner({ id: 's', logger: silentLogger(), device: 'nosuch:device' });
    await expect(scanner.start()).rejects.toThrow(/nosuch:device/);
  });
});
