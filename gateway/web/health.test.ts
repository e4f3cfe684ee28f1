import { describe, expect, it } from 'vitest';
import { deriveHealth, healthHttpStatus } from './health.js';
import { sampleSnapshot } from './test-support/snapshot.js';

describe('deriveHealth', () => {
  it('is ok when the uplink is connected, the outbox calm and no device failed', () => {
    const report = deriveHealth(sampleSnapshot());
    expect(report.status).toBe('ok');
    expect(Object.values(report.checks).every((c) => c.ok)).toBe(true);
    expect(healthHttpStatus(report)).toBe(200);
  });

  it('counts a loopback uplink (standalone classroom) as healthy', () => {
    const s = sampleSnapshot();
    expect(deriveHealth({ ...s, uplink: { ...s.uplink, state: 'loopback', url: null } }).status).toBe('ok');
  });

  it('is degraded, still 200, when the uplink is away, the outbox filling or a device failed', () => {
    const s = sampleSnapshot();
    const away = deriveHealth({ ...s, uplink: { ...s.uplink, state: 'disconnected', lastError: 'ECONNREFUSED' } });
    expect(away.status).toBe('degraded');
    expect(away.checks.uplink).toEqual({ ok: false, detail: 'disconnected: ECONNREFUSED' });
    expect(deriveHealth({ ...s, outbox: { ...s.outbox, pressure: 'high' } }).status).toBe('degraded');
    const broken = deriveHealth({ ...s, devices: [{ id: 'cam-1', kind: 'camera', transport: 'real', state: 'error', detail: 'EIO' }] });
    expect(broken.status).toBe('degraded');
    expect(broken.checks.devices.detail).toBe('in error: cam-1');
    expect(healthHttpStatus(broken)).toBe(200);
  });

  it('is down, 503, when the outbox is full or the status cannot be read', () => {
    const s = sampleSnapshot();
    const full = deriveHealth({ ...s, outbox: { ...s.outbox, pressure: 'full' } });
    expect(full.status).toBe('down');
    expect(healthHttpStatus(full)).toBe(503);
    const blind = deriveHealth(null, 'status unavailable: boom');
    expect(blind.status).toBe('down');
    expect(blind.checks.snapshot).toEqual({ ok: false, detail: 'status unavailable: boom' });
  });
});
