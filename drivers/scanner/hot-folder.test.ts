import { existsSync } from 'node:fs';
import { appendFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceEvent } from '../../gateway/devices/device.js';
import { silentLogger } from '../../gateway/log/logger.js';
import { HotFolderScanner } from './hot-folder.js';
import type { BatchSummary, ScannedPage } from './scanner.js';

const running: HotFolderScanner[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
});

async function folderScanner() {
  const folder = await mkdtemp(join(tmpdir(), 'hot-folder-'));
  const scanner = new HotFolderScanner({ id: 'copier', logger: silentLogger(), folder, stableMs: 300, batchGapMs: 800, pollMs: 100 });
  running.push(scanner);
  const pages: ScannedPage[] = [];
  const events: DeviceEvent[] = [];
  const batches: BatchSummary[] = [];
  scanner.onPage((p) => pages.push(p));
  scanner.on('event', (e) => events.push(e));
  scanner.on('event', (e) => e.type === 'batch-done' && batches.push(e.data as unknown as BatchSummary));
  await scanner.start();
  return { folder, scanner, pages, events, batches };
}

const jpeg = () => sharp({ create: { width: 60, height: 80, channels: 3, background: 'white' } }).jpeg().toBuffer();
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('hot folder scanner', () => {
  it('does not read a file that is still being written', async () => {
    const { folder, pages } = await folderScanner();
    const image = await jpeg();
    const file = join(folder, 'scan-001.jpg');
    await writeFile(file, image.subarray(0, 100));
    for (let offset = 100; offset < image.length; offset += 100) {
      await wait(150);
      expect(pages).toHaveLength(0);
      await appendFile(file, image.subarray(offset, offset + 100));
    }
    await expect.poll(() => pages.length, { timeout: 3000 }).toBe(1);
    expect(pages[0]).toMatchObject({ format: 'jpeg', source: 'hot-folder', fileName: 'scan-001.jpg', index: 1 });
    expect(pages[0]!.image.equals(image)).toBe(true);
    expect(existsSync(join(folder, '.done', 'scan-001.jpg'))).toBe(true);
  });

  it('rejects PDFs and files that are not images, by content, with a warning', async () => {
    const { folder, pages, events } = await folderScanner();
    await writeFile(join(folder, 'report.pdf'), '%PDF-1.7\n…');
    await writeFile(join(folder, 'photo.jpg'), 'not really a jpeg');
    await expect.poll(() => events.filter((e) => e.type === 'file-rejected').length, { timeout: 3000 }).toBe(2);
    expect(pages).toHaveLength(0);
    expect(events.map((e) => e.message).join('\n')).toMatch(/PDF scans are not supported yet/);
    expect(existsSync(join(folder, '.rejected', 'photo.jpg'))).toBe(true);
  });

  it('groups pages that arrive close together into one batch, and a later one into the next', async () => {
    const { folder, pages, batches } = await folderScanner();
    const image = await jpeg();
    await writeFile(join(folder, 'a1.jpg'), image);
    await writeFile(join(folder, 'a2.jpg'), image);
    await expect.poll(() => batches.length, { timeout: 5000 }).toBe(1);
    await writeFile(join(folder, 'b1.jpg'), image);
    await expect.poll(() => batches.length, { timeout: 5000 }).toBe(2);
    expect(pages.map((p) => [p.fileName, p.index])).toEqual([
      ['a1.jpg', 1],
      ['a2.jpg', 2],
      ['b1.jpg', 1],
    ]);
    expect(pages[0]!.batchId).toBe(pages[1]!.batchId);
    expect(pages[2]!.batchId).not.toBe(pages[0]!.batchId);
  });
});
