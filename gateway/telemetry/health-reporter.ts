import type { Health } from '../contract/types.generated.js';
import type { Logger } from '../log/logger.js';
import type { AlarmCenter } from '../alarms/alarm-center.js';
import type { SystemSampler } from './system-stats.js';

/** Everything a health message reports besides the host itself; each part is owned elsewhere. */
export interface HealthSources {
  version: string;
  outbox: () => Health['outbox'];
  uplink: () => Health['uplink'];
  devices: () => Health['devices'];
  hotplug: () => Health['hotplug'];
  bus: () => Health['bus'];
  pipelines: () => Health['pipelines'];
  nodeRed: () => Health['nodeRed'];
}

export interface HealthReporterOptions {
  sampler: SystemSampler;
  sources: HealthSources;
  alarms: AlarmCenter;
  publish: (health: Health) => Promise<unknown>;
  intervalSeconds: number;
  logger: Logger;
}

/** Disk thresholds: the outbox and kept scans live on the SD card, and a full card stops both. */
const DISK_WARNING_FRACTION = 0.1;
const DISK_CRITICAL_FRACTION = 0.03;

/** Publishes a health message every interval and raises the disk alarm from the same sample. */
export class HealthReporter {
  private timer: NodeJS.Timeout | null = null;
  private intervalSeconds: number;
  private last: Health | null = null;

  constructor(private readonly opts: HealthReporterOptions) {
    this.intervalSeconds = opts.intervalSeconds;
  }

  start(): void {
    this.schedule();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Hot-applied from settings: takes effect from the next tick. */
  setInterval(seconds: number): void {
    this.intervalSeconds = seconds;
    if (this.timer) this.schedule();
  }

  latest(): Health | null {
    return this.last;
  }

  async collect(): Promise<Health> {
    const s = this.opts.sampler;
    const sample = await s.sample();
    const src = this.opts.sources;
    this.checkDisk(sample.disk.freeBytes, sample.disk.totalBytes);
    const health: Health = {
      version: src.version,
      uptimeSeconds: sample.uptimeSeconds,
      cpu: sample.cpu,
      memory: sample.memory,
      temperatureCelsius: sample.temperatureCelsius,
      disk: { freeBytes: sample.disk.freeBytes, totalBytes: sample.disk.totalBytes },
      devices: src.devices(),
      hotplug: src.hotplug(),
      outbox: src.outbox(),
      uplink: src.uplink(),
      bus: src.bus(),
      pipelines: src.pipelines(),
      nodeRed: src.nodeRed(),
    };
    this.last = health;
    return health;
  }

  async report(): Promise<void> {
    try {
      await this.opts.publish(await this.collect());
    } catch (err) {
      // Refused telemetry (outbox high) is the documented policy, not a fault.
      this.opts.logger.debug({ err }, 'health message not queued');
    }
  }

  private schedule(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(() => void this.report(), this.intervalSeconds * 1000);
    this.timer.unref();
  }

  private checkDisk(free: number, total: number): void {
    if (total <= 0) return;
    const fraction = free / total;
    const message = `data disk ${(100 - fraction * 100).toFixed(1)} % full (${Math.round(free / 1048576)} MiB free)`;
    if (fraction < DISK_CRITICAL_FRACTION) this.opts.alarms.raise('disk-low', 'critical', message);
    else if (fraction < DISK_WARNING_FRACTION) this.opts.alarms.raise('disk-low', 'warning', message);
    else this.opts.alarms.clear('disk-low', message);
  }
}
