import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AlarmCenter } from '../alarms/alarm-center.js';
import type { Alarm, Health } from '../contract/types.generated.js';
import { ContractValidator } from '../contract/validator.js';
import { silentLogger } from '../log/logger.js';
import { HealthReporter, type HealthSources } from './health-reporter.js';
import { createSystemSampler, type SystemSample, type SystemSampler } from './system-stats.js';

const sources: HealthSources = {
  version: '0.0.0-test',
  outbox: () => ({ depthMessages: 3, depthBytes: 3000, oldestAgeMs: 1200, capacityBytes: 1 << 20, pressure: 'normal', refused: { result: 0, event: 0, telemetry: 0 }, expired: 0 }),
  uplink: () => ({ state: 'connected', protocol: '5', loopback: true, reconnects: 0, sent: 10, acked: 10 }),
  devices: () => [{ id: 'scanner-1', kind: 'scanner', transport: 'simulated', state: 'ready', since: new Date().toISOString() }],
  hotplug: () => ({ available: false, reason: 'hot-plug unavailable: /sys/bus/usb not found' }),
  bus: () => ({ clients: 2, refusedConnections: 0, refusedPublishes: 0 }),
  pipelines: () => ({ scan: { pagesRead: 4 } }),
  nodeRed: () => ({ running: true, errors: 0 }),
};

function reporter(sampler: SystemSampler, alarmsSent: Alarm[] = [], published: Health[] = []) {
  const alarms = new AlarmCenter(async (a) => alarmsSent.push(a), silentLogger());
  return new HealthReporter({ sampler, sources, alarms, publish: async (h) => published.push(h), intervalSeconds: 60, logger: silentLogger() });
}

describe('health reporter', () => {
  it('builds a health message from a real sample that matches health/1', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'health-'));
    const published: Health[] = [];
    await reporter(createSystemSampler({ dataDir }), [], published).report();
    expect(published).toHaveLength(1);
    expect(new ContractValidator().problems('health/1', published[0])).toEqual([]);
    expect(published[0]?.memory.rssBytes).toBeGreaterThan(0);
  });

  it('raises and clears the disk alarm from the free-space fraction', async () => {
    let free = 50;
    const fake: SystemSampler = {
      sample: async () => ({ ...(await createSystemSampler({ dataDir: tmpdir() }).sample()), disk: { path: '/', freeBytes: free, totalBytes: 1000 } }) as SystemSample,
    };
    const sent: Alarm[] = [];
    const r = reporter(fake, sent);
    await r.collect();
    free = 10;
    await r.collect();
    free = 500;
    await r.collect();
    expect(sent.map((a) => [a.code, a.severity, a.active])).toEqual([
      ['disk-low', 'warning', true],
      ['disk-low', 'critical', true],
      ['disk-low', 'critical', false],
    ]);
  });
});
