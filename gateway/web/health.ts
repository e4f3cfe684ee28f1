import type { HealthCheck, HealthReport, StatusSnapshot } from './status-types.js';

/**
 * Monitoring's view of a snapshot. 'down' means the gateway is failing its job: it cannot tell
 * its own state, or the outbox is full and refusing messages. Anything else that is off (uplink
 * away, outbox filling, a device in error) is 'degraded': data is still kept safe on the box.
 */
export function deriveHealth(snapshot: StatusSnapshot | null, failure = 'no snapshot'): HealthReport {
  if (snapshot === null) {
    const unknown: HealthCheck = { ok: false, detail: 'unknown' };
    return {
      status: 'down',
      checks: { snapshot: { ok: false, detail: failure }, uplink: unknown, outbox: unknown, devices: unknown },
    };
  }
  const { uplink, outbox, devices } = snapshot;
  const failed = devices.filter((d) => d.state === 'error').map((d) => d.id);
  const checks = {
    snapshot: { ok: true, detail: 'available' },
    uplink: {
      ok: uplink.state === 'connected' || uplink.state === 'loopback',
      detail: uplink.lastError && uplink.state !== 'connected' ? `${uplink.state}: ${uplink.lastError}` : uplink.state,
    },
    outbox: { ok: outbox.pressure === 'normal', detail: `pressure ${outbox.pressure}, ${outbox.depthMessages} queued` },
    devices: { ok: failed.length === 0, detail: failed.length === 0 ? `${devices.length} without error` : `in error: ${failed.join(', ')}` },
  };
  const allOk = Object.values(checks).every((c) => c.ok);
  return { status: outbox.pressure === 'full' ? 'down' : allOk ? 'ok' : 'degraded', checks };
}

/** 503 only for 'down', so a load balancer or monitor tells "broken" from "limping". */
export function healthHttpStatus(report: HealthReport): number {
  return report.status === 'down' ? 503 : 200;
}
