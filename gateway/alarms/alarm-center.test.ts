import { describe, expect, it } from 'vitest';
import type { Alarm } from '../contract/types.generated.js';
import { silentLogger } from '../log/logger.js';
import { AlarmCenter } from './alarm-center.js';

describe('alarm center', () => {
  it('publishes raise and clear transitions once each', async () => {
    const sent: Alarm[] = [];
    const alarms = new AlarmCenter(async (a) => sent.push(a), silentLogger());
    alarms.raise('disk-low', 'warning', 'disk 91 % full');
    alarms.raise('disk-low', 'warning', 'disk 92 % full');
    expect(alarms.list()).toMatchObject([{ code: 'disk-low', message: 'disk 92 % full' }]);
    alarms.raise('disk-low', 'critical', 'disk 99 % full');
    alarms.clear('disk-low');
    alarms.clear('disk-low');
    expect(sent.map((a) => [a.code, a.severity, a.active])).toEqual([
      ['disk-low', 'warning', true],
      ['disk-low', 'critical', true],
      ['disk-low', 'critical', false],
    ]);
    expect(alarms.list()).toEqual([]);
  });

  it('keeps the alarm active locally when the sink refuses it', async () => {
    const alarms = new AlarmCenter(async () => Promise.reject(new Error('outbox full')), silentLogger());
    alarms.raise('outbox-full', 'critical', 'outbox full');
    await new Promise((r) => setImmediate(r));
    expect(alarms.list()).toHaveLength(1);
  });
});
