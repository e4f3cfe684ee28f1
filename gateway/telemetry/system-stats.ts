/**
 * Host and process health for the periodic telemetry message: what a district operator needs to
 * tell an overloaded, overheating or full classroom box from a healthy one.
 */
import { readdir, readFile, statfs } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import type { Health } from '../contract/types.generated.js';

export interface SystemSample {
  uptimeSeconds: number;
  hostUptimeSeconds: number;
  /** Shapes shared with the health/1 message, which carries them as they are. */
  cpu: Health['cpu'];
  memory: Health['memory'];
  /** The SoC on a Pi; null where the host exposes no thermal zone (containers, most VMs). */
  temperatureCelsius: number | null;
  disk: { path: string; freeBytes: number; totalBytes: number };
  nodeVersion: string;
  platform: string;
  arch: string;
}

export interface SystemSamplerOptions {
  /** The gateway's data directory: its filesystem is the one that fills up (outbox, scans). */
  dataDir: string;
  thermalRoot?: string;
  meminfoPath?: string;
}

export interface SystemSampler {
  sample(): Promise<SystemSample>;
}

interface CpuTimes {
  busy: number;
  total: number;
}

function hostCpuTimes(): CpuTimes {
  let busy = 0;
  let total = 0;
  for (const { times } of os.cpus()) {
    const all = times.user + times.nice + times.sys + times.irq + times.idle;
    total += all;
    busy += all - times.idle;
  }
  return { busy, total };
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

/** MemAvailable in bytes, or undefined on kernels (and non-Linux hosts) without it. */
export async function readMemAvailable(meminfoPath: string): Promise<number | undefined> {
  try {
    const match = /^MemAvailable:\s+(\d+)\s*kB$/m.exec(await readFile(meminfoPath, 'utf8'));
    return match?.[1] ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Sysfs reports millidegrees per thermal zone. A zone named like the CPU/SoC is preferred (the Pi
 * has exactly one, "cpu-thermal"); otherwise the hottest zone, as that is the one that throttles.
 */
export async function readTemperature(thermalRoot: string): Promise<number | null> {
  let zones: string[];
  try {
    zones = (await readdir(thermalRoot)).filter((name) => name.startsWith('thermal_zone'));
  } catch {
    return null;
  }
  const readings = await Promise.all(
    zones.map(async (zone) => {
      try {
        const milli = Number((await readFile(join(thermalRoot, zone, 'temp'), 'utf8')).trim());
        const type = await readFile(join(thermalRoot, zone, 'type'), 'utf8').catch(() => '');
        return Number.isFinite(milli) ? { celsius: milli / 1000, soc: /cpu|soc|x86_pkg/i.test(type) } : undefined;
      } catch {
        return undefined; // zones can vanish or refuse reads (e.g. a sleeping sensor)
      }
    }),
  );
  const valid = readings.filter((r) => r !== undefined);
  const pool = valid.some((r) => r.soc) ? valid.filter((r) => r.soc) : valid;
  if (pool.length === 0) return null;
  return round1(Math.max(...pool.map((r) => r.celsius)));
}

export function createSystemSampler(options: SystemSamplerOptions): SystemSampler {
  const { dataDir, thermalRoot = '/sys/class/thermal', meminfoPath = '/proc/meminfo' } = options;
  // The first sample reports averages since process start / host boot, so it is already meaningful.
  let lastProcess: NodeJS.CpuUsage = { user: 0, system: 0 };
  let lastNowMs = 0; // performance.now() counts from process start
  let lastHost: CpuTimes = { busy: 0, total: 0 };

  return {
    async sample(): Promise<SystemSample> {
      const [memAvailable, temperatureCelsius, fsStats] = await Promise.all([
        readMemAvailable(meminfoPath),
        readTemperature(thermalRoot),
        statfs(dataDir),
      ]);

      const nowMs = performance.now();
      const processCpu = process.cpuUsage();
      const host = hostCpuTimes();
      const processMicros = processCpu.user - lastProcess.user + (processCpu.system - lastProcess.system);
      const elapsedMicros = (nowMs - lastNowMs) * 1000;
      const hostBusy = host.busy - lastHost.busy;
      const hostTotal = host.total - lastHost.total;
      lastProcess = processCpu;
      lastNowMs = nowMs;
      lastHost = host;

      const memory = process.memoryUsage();
      return {
        uptimeSeconds: round1(process.uptime()),
        hostUptimeSeconds: round1(os.uptime()),
        cpu: {
          processPercent: elapsedMicros > 0 ? round1(Math.max(0, (processMicros / elapsedMicros) * 100)) : 0,
          // Two samples within one kernel tick see no host time pass at all: report idle, not NaN.
          systemPercent: hostTotal > 0 ? round1(Math.min(100, Math.max(0, (hostBusy / hostTotal) * 100))) : 0,
          load1: round1(os.loadavg()[0] ?? 0),
        },
        memory: {
          rssBytes: memory.rss,
          heapUsedBytes: memory.heapUsed,
          systemTotalBytes: os.totalmem(),
          systemAvailableBytes: memAvailable ?? os.freemem(),
        },
        temperatureCelsius,
        disk: { path: dataDir, freeBytes: fsStats.bavail * fsStats.bsize, totalBytes: fsStats.blocks * fsStats.bsize },
        nodeVersion: process.version,
        platform: process.platform,
        arch: process.arch,
      };
    },
  };
}
