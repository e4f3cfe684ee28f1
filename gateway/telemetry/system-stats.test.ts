import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSystemSampler, readMemAvailable, readTemperature } from './system-stats.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(os.tmpdir(), 'system-stats-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A sysfs thermal tree as the kernel lays it out: thermal_zoneN/{type,temp} in millidegrees. */
function thermalTree(zones: Record<string, { type?: string; temp?: string }>): string {
  const root = tempDir();
  mkdirSync(join(root, 'cooling_device0')); // present on a Pi; not a zone
  for (const [zone, files] of Object.entries(zones)) {
    mkdirSync(join(root, zone));
    if (files.type !== undefined) writeFileSync(join(root, zone, 'type'), files.type + '\n');
    if (files.temp !== undefined) writeFileSync(join(root, zone, 'temp'), files.temp + '\n');
  }
  return root;
}

function burnCpu(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) Math.sqrt(Math.random());
}

describe('createSystemSampler', () => {
  it('samples sane numbers twice in a row on this host', async () => {
    const dataDir = tempDir();
    const sampler = createSystemSampler({ dataDir, thermalRoot: join(dataDir, 'no-thermal') });
    const cores = os.cpus().length;
    const first = await sampler.sample();
    burnCpu(200);
    const second = await sampler.sample();

    for (const s of [first, second]) {
      expect(s.cpu.processPercent).toBeGreaterThanOrEqual(0);
      expect(s.cpu.processPercent).toBeLessThanOrEqual(100 * cores);
      expect(s.cpu.systemPercent).toBeGreaterThanOrEqual(0);
      expect(s.cpu.systemPercent).toBeLessThanOrEqual(100);
      expect(s.cpu.load1).toBeGreaterThanOrEqual(0);
      expect(s.memory.rssBytes).toBeGreaterThan(0);
      expect(s.memory.heapUsedBytes).toBeGreaterThan(0);
      expect(s.memory.systemAvailableBytes).toBeGreaterThan(0);
      expect(s.memory.systemAvailableBytes).toBeLessThanOrEqual(s.memory.systemTotalBytes);
      expect(s.disk.path).toBe(dataDir);
      expect(s.disk.totalBytes).toBeGreaterThan(0);
      expect(s.disk.freeBytes).toBeGreaterThanOrEqual(0);
      expect(s.disk.freeBytes).toBeLessThanOrEqual(s.disk.totalBytes);
      expect(s.temperatureCelsius).toBeNull();
      expect(s.uptimeSeconds).toBeGreaterThan(0);
      expect(s.hostUptimeSeconds).toBeGreaterThanOrEqual(s.uptimeSeconds - 1);
      expect(s).toMatchObject({ nodeVersion: process.version, platform: process.platform, arch: process.arch });
    }
    // 200 ms of busy loop between samples: a clear share of a core even on a loaded test box.
    expect(second.cpu.processPercent).toBeGreaterThan(25);
    expect(second.uptimeSeconds).toBeGreaterThanOrEqual(first.uptimeSeconds);
    // …and idling afterwards reads as idle: the window restarts at every sample.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await sampler.sample()).cpu.processPercent).toBeLessThan(50);
  });

  it('fails loudly when the data directory is gone', async () => {
    const sampler = createSystemSampler({ dataDir: join(tempDir(), 'missing') });
    await expect(sampler.sample()).rejects.toThrow(/ENOENT/);
  });

  it('reports the fake SoC temperature it is pointed at', async () => {
    const thermalRoot = thermalTree({ thermal_zone0: { type: 'cpu-thermal', temp: '48312' } });
    const sample = await createSystemSampler({ dataDir: tempDir(), thermalRoot }).sample();
    expect(sample.temperatureCelsius).toBe(48.3);
  });
});

describe('readTemperature', () => {
  it('prefers the CPU/SoC zone over hotter unrelated ones', async () => {
    const root = thermalTree({
      thermal_zone0: { type: 'acpitz', temp: '70000' },
      thermal_zone1: { type: 'x86_pkg_temp', temp: '55500' },
    });
    expect(await readTemperature(root)).toBe(55.5);
  });

  it('takes the hottest zone when none is named like a CPU, skipping unreadable ones', async () => {
    const root = thermalTree({
      thermal_zone0: { type: 'acpitz', temp: '41000' },
      thermal_zone1: { temp: '63250' },
      thermal_zone2: { type: 'battery', temp: 'garbage' },
      thermal_zone3: { type: 'pch' },
    });
    expect(await readTemperature(root)).toBe(63.3);
  });

  it('is null without thermal zones or without the sysfs dir', async () => {
    expect(await readTemperature(thermalTree({}))).toBeNull();
    expect(await readTemperature(join(tempDir(), 'absent'))).toBeNull();
  });
});

describe('readMemAvailable', () => {
  it('reads MemAvailable in bytes, or nothing when the kernel does not report it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'meminfo'), 'MemTotal:        3884096 kB\nMemFree:          151040 kB\nMemAvailable:    2781348 kB\n');
    writeFileSync(join(dir, 'old-meminfo'), 'MemTotal:        3884096 kB\nMemFree:          151040 kB\n');
    expect(await readMemAvailable(join(dir, 'meminfo'))).toBe(2781348 * 1024);
    expect(await readMemAvailable(join(dir, 'old-meminfo'))).toBeUndefined();
    expect(await readMemAvailable(join(dir, 'absent'))).toBeUndefined();
  });
});
