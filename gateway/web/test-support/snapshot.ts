import type { StatusSnapshot } from '../status-types.js';

/** A plausible classroom: healthy unless a test overrides parts of it. */
export function sampleSnapshot(overrides: Partial<StatusSnapshot> = {}): StatusSnapshot {
  return {
    gateway: {
      ids: { district: 'north', school: 'lincoln-elementary', room: 'r12', gateway: 'gw-r12' },
      version: '0.1.0',
      uptimeSeconds: 93_784,
      startedAt: '2025-11-21T07:00:00.000Z',
    },
    uplink: {
      state: 'connected',
      url: 'mqtts://district.example:8883',
      protocol: 'mqtts',
      connectedSince: '2025-11-21T07:00:05.000Z',
      lastError: null,
    },
    outbox: { depthMessages: 3, depthBytes: 2_400, oldestAgeMs: 1_500, pressure: 'normal' },
    devices: [
      { id: 'scanner-1', kind: 'scanner', transport: 'real', state: 'ready', detail: 'Fujitsu fi-800R', actions: ['scan', 'calibrate'] },
      { id: 'pen-07', kind: 'pen', transport: 'real', state: 'disconnected', detail: 'last seen 10 min ago', actions: [] },
    ],
    alarms: [{ code: 'pen-battery', severity: 'warning', message: 'Pen 07 battery low', since: '2025-11-22T08:00:00.000Z' }],
    recentMessages: [
      { at: '2025-11-22T08:01:00.000Z', topic: 'classroom/north/lincoln-elementary/r12/result', schema: 'result/1', bytes: 812, direction: 'out' },
      { at: '2025-11-22T08:00:30.000Z', topic: 'classroom/north/lincoln-elementary/r12/health', schema: 'health/1', bytes: 240, direction: 'out' },
    ],
    links: { editor: '/admin/', mqttWebSocket: 'ws://gw-r12.local:8080/mqtt' },
    ...overrides,
  };
}
