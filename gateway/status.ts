import type { Gateway } from './controller.js';
import type { HealthSources } from './telemetry/health-reporter.js';
import { GATEWAY_VERSION } from './version.js';
import type { StatusSnapshot } from './web/status-types.js';

/** What the health message reports about the gateway's own parts. */
export function healthSources(g: Gateway): HealthSources {
  return {
    version: GATEWAY_VERSION,
    outbox: () => {
      const o = g.outbox.stats();
      return { depthMessages: o.depthMessages, depthBytes: o.depthBytes, oldestAgeMs: o.oldestAgeMs, capacityBytes: o.capacityBytes, pressure: o.pressure, refused: o.refused, expired: o.expired };
    },
    uplink: () => {
      const u = g.uplink.status();
      return { state: u.state, protocol: u.protocol, loopback: g.addresses.loopback, reconnects: u.reconnects, sent: u.sent, acked: u.acked };
    },
    devices: () =>
      g.devices.list().map(({ id, kind, transport, state, since, detail, lastError }) => ({
        id,
        kind,
        transport,
        state,
        since,
        ...(detail ? { detail } : {}),
        ...(lastError ? { lastError } : {}),
      })),
    hotplug: () => g.hotplug.status,
    bus: () => {
      const b = g.bus.stats();
      return { clients: b.clients, refusedConnections: b.refusedConnections, refusedPublishes: b.refusedPublishes };
    },
    pipelines: () => ({ ...g.counters.snapshot(), requests: g.router.counters() }),
    nodeRed: () => ({ running: g.nodeRed !== null, errors: g.nodeRed?.errors() ?? 0 }),
  };
}

/** The page's and the `status` request's view of the gateway; no message payloads. */
export async function buildStatus(g: Gateway): Promise<StatusSnapshot> {
  const s = g.settings.current;
  const u = g.uplink.status();
  const o = g.outbox.stats();
  return {
    gateway: {
      ids: { school: s.school.id, classroom: s.classroom.id, gateway: s.gateway.id, baseTopic: g.base },
      version: GATEWAY_VERSION,
      uptimeSeconds: Math.round(process.uptime()),
      startedAt: g.startedAt.toISOString(),
    },
    uplink: {
      state: g.addresses.loopback && u.state === 'connected' ? 'loopback' : u.state === 'connected' ? 'connected' : u.state === 'connecting' ? 'connecting' : 'disconnected',
      url: u.url,
      protocol: u.protocol,
      connectedSince: u.connectedSince,
      lastError: u.lastError,
    },
    outbox: { depthMessages: o.depthMessages, depthBytes: o.depthBytes, oldestAgeMs: o.oldestAgeMs, pressure: o.pressure },
    devices: g.devices.list().map((d) => ({
      id: d.id,
      kind: d.kind,
      transport: d.transport,
      state: d.state,
      detail: d.detail ?? d.lastError?.message ?? null,
      actions: d.state === 'ready' || d.state === 'busy' ? Object.keys(g.devices.get(d.id)?.actions() ?? {}) : [],
    })),
    alarms: g.alarms.list(),
    recentMessages: g.recent.list(),
    homework: g.scanning?.summaries() ?? [],
    ...(g.pens ? { pens: g.pens.summary() } : {}),
    mirrors: g.mirror?.summary() ?? [],
    links: {
      editor: g.addresses.editor,
      mqttWebSocket: s.bus.websocket.enabled ? g.addresses.web.replace(/^http/, 'ws').replace(/\/$/, s.bus.websocket.path) : null,
    },
  };
}
