// The real gateway parts the palette's nodes talk to in tests: a local bus (aedes, in process), an
// on-disk outbox in a temp dir, the one Publisher, the RequestRouter with the contract's operations
// and a DeviceRegistry holding simulated scanners (and, when asked, a simulated pen hub) — and the ClassroomBridge over all of them,
// exactly as gateway/controller.ts builds it.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { penHubDriver } from '../../drivers/pen-hub/index.js';
import { scannerDriver } from '../../drivers/scanner/index.js';
import { createLocalBus, type LocalBus } from '../bus/local-bus.js';
import type { Payloads } from '../contract/topics.js';
import { ContractValidator } from '../contract/validator.js';
import { DeviceRegistry } from '../devices/registry.js';
import { silentLogger } from '../log/logger.js';
import { Publisher } from '../messaging/publisher.js';
import { RecentMessages } from '../messaging/recent-messages.js';
import { createClassroomBridge, type ClassroomBridge } from '../nodered/classroom-bridge.js';
import { registerOperations } from '../requests/operations.js';
import { RequestRouter } from '../requests/request-router.js';
import { SettingsStore } from '../settings/index.js';
import { Outbox } from '../uplink/outbox/outbox.js';
import type { OutboxRecord } from '../uplink/outbox/types.js';

export const BASE = 'classroom/test-school/5b/gw-1';

export interface GatewayParts {
  bridge: ClassroomBridge;
  bus: LocalBus;
  outbox: Outbox;
  publisher: Publisher;
  router: RequestRouter;
  devices: DeviceRegistry;
  /** Everything in the outbox so far (un-acked, in order), envelopes parsed. */
  outboxRecords(): Promise<Array<OutboxRecord & { envelope: { schema: string; id: string; seq: number; data: unknown } }>>;
  close(): Promise<void>;
}

export interface GatewayOptions {
  /** Outbox disk budget (small to test "outbox full"). */
  outboxBytes?: number;
  scannerOptions?: Record<string, unknown>;
  /** Adds `pen-hub-1`, a simulated hub with this many pens (its device events: pen connected …). */
  penHubPens?: number;
}

export async function startGatewayParts(o: GatewayOptions = {}): Promise<GatewayParts> {
  const logger = silentLogger();
  const dir = await mkdtemp(join(tmpdir(), 'palette-'));
  const outbox = await Outbox.open({
    dir: join(dir, 'outbox'),
    logger,
    ...(o.outboxBytes ? { maxBytes: o.outboxBytes, segmentBytes: o.outboxBytes / 8 } : {}),
  });
  const bus = await createLocalBus({ baseTopic: BASE, loopback: { host: '127.0.0.1', port: 0, allowAnonymous: true }, users: [], logger });
  const validator = new ContractValidator();
  const publisher = new Publisher({ baseTopic: BASE, outbox, bus, mirrorToBus: true, validator, recent: new RecentMessages(), logger });
  const router = new RequestRouter({ respond: (op, response) => publisher.publish('response', { op }, response) }, validator, logger);
  const devices = new DeviceRegistry({ logger });
  devices.registerDriver('scanner', scannerDriver());
  devices.registerDriver('pen-hub', penHubDriver());
  // As gateway/controller.ts does: device states and events go out through the publisher.
  devices.on('state', ({ id, kind, transport, state, since, detail }) => {
    void publisher.publish('deviceState', { device: id }, { id, kind, transport, state, since, ...(detail ? { detail } : {}) });
  });
  devices.on('event', (event) => void publisher.publish('deviceEvent', { device: event.device }, event));
  devices.load([
    { id: 'scanner-1', kind: 'scanner', transport: 'simulated', options: { pageDelayMs: 5, ...o.scannerOptions } },
    { id: 'jammy', kind: 'scanner', transport: 'simulated', options: { pageDelayMs: 5, jamAfter: 1 } },
    ...(o.penHubPens ? [{ id: 'pen-hub-1', kind: 'pen-hub', transport: 'simulated' as const, options: { pens: o.penHubPens } }] : []),
  ]);
  await devices.startAll();
  const settings = await SettingsStore.open(join(dir, 'settings.json'), logger);
  registerOperations(router, { settings, devices, status: async () => ({ gateway: 'gw-1' }), restart: () => undefined });
  const bridge = createClassroomBridge({ baseTopic: BASE, bus, publisher, router, devices: () => devices.list() });
  return {
    bridge,
    bus,
    outbox,
    publisher,
    router,
    devices,
    async outboxRecords() {
      const records = await outbox.read(1, 10_000);
      return records.map((r) => ({ ...r, envelope: JSON.parse(r.payload.toString()) }));
    },
    async close() {
      await devices.stopAll();
      await bus.close();
      await outbox.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const at = () => new Date().toISOString();

/** Contract-valid messages (the Publisher checks them against the JSON Schemas). */
export const sample = {
  scanPage: (status: Payloads['scanPage']['status'], assignmentId?: string): Payloads['scanPage'] => ({
    device: 'scanner-1',
    batchId: randomUUID(),
    index: 1,
    status,
    ...(assignmentId ? { assignmentId, page: 1, studentId: 's01', score: 3, maxScore: 4 } : {}),
    needsReview: [],
    readMs: 12,
  }),
  classReport: (assignmentId: string): Payloads['classReport'] => ({
    assignmentId,
    classId: '5b',
    handedIn: ['s01'],
    partial: [],
    missing: ['s02'],
    unknownStudents: [],
    perQuestion: [{ questionId: 'q1', label: '1', answered: 1, correct: 1, correctRate: 1, needsReview: 0 }],
    students: [{ studentId: 's01', name: 'Ana', score: 1, maxScore: 1, wrong: [], needsReview: [], rescanned: false }],
    mostMissed: [],
    weakTags: [],
    pagesRead: 1,
    updatedAt: at(),
  }),
  penStroke: (studentId: string | null): Payloads['penStroke'] => ({
    pen: 'pen-hub-1/3',
    mac: null,
    studentId,
    address: { section: 3, owner: 27, note: 1, page: 5 },
    assignmentId: 'fractions-week3',
    page: 1,
    questionId: 'q1',
    startedAt: at(),
    endedAt: at(),
    dots: 42,
    lostDots: 0,
    repairs: [],
    eraser: false,
  }),
  penPage: (studentId: string): Payloads['penPage'] => ({
    studentId,
    pen: 'pen-hub-1/3',
    assignmentId: 'fractions-week3',
    page: 1,
    revision: 1,
    firstWrittenAt: at(),
    lastWrittenAt: at(),
    score: 1,
    maxScore: 1,
    needsReview: [],
    questions: [{ questionId: 'q1', outcome: 'correct', points: 1, maxPoints: 1, given: '3/4', confidence: 0.9, writtenFrom: at(), writtenTo: at() }],
  }),
  penLive: (): Payloads['penLive'] => ({ at: at(), pens: { connected: 2, ready: 2 }, students: [] }),
  homeworkBurden: (assignmentId: string): Payloads['homeworkBurden'] => ({
    assignmentId,
    grade: 5,
    limitMinutes: 60,
    students: [{ studentId: 's01', activeMinutes: 30, elapsedMinutes: 40, breakMinutes: 10, overLimit: false }],
    distribution: { count: 1, meanMinutes: 30, p50Minutes: 30, p90Minutes: 30, maxMinutes: 30, overLimitShare: 0, histogram: [{ fromMinutes: 0, toMinutes: 60, count: 1 }] },
    updatedAt: at(),
  }),
  mirrorCheckin: (station: string): Payloads['mirrorCheckin'] => ({ station, sessionId: randomUUID(), method: 'qr', studentId: 's01', classId: '5b', at: at() }),
  mirrorRep: (station: string): Payloads['mirrorRep'] => ({
    station,
    sessionId: randomUUID(),
    studentId: 's01',
    exerciseId: 'squat',
    index: 1,
    score: 90,
    feedback: [],
    durationMs: 1500,
    at: at(),
  }),
  mirrorSession: (station: string): Payloads['mirrorSession'] => ({
    station,
    sessionId: randomUUID(),
    method: 'anonymous',
    studentId: null,
    classId: null,
    startedAt: at(),
    endedAt: at(),
    exercises: [{ exerciseId: 'squat', name: 'Squat', reps: 5, meanScore: 80, bestScore: 90, worstScore: 70, activeSeconds: 20, feedback: [] }],
  }),
  deviceState: (id: string): Payloads['deviceState'] => ({ id, kind: 'scanner', transport: 'simulated', state: 'ready', since: at() }),
  deviceEvent: (device: string): Payloads['deviceEvent'] => ({ device, type: 'paper-jam', level: 'error', message: 'paper jam after page 1' }),
  alarm: (): Payloads['alarm'] => ({ code: 'disk-low', severity: 'warning', active: true, message: 'disk almost full' }),
  health: (): Payloads['health'] => ({
    version: '0.1.0',
    uptimeSeconds: 10,
    cpu: { processPercent: 1, systemPercent: 5, load1: 0.1 },
    memory: { rssBytes: 1e8, heapUsedBytes: 5e7, systemTotalBytes: 4e9, systemAvailableBytes: 2e9 },
    temperatureCelsius: null,
    disk: { freeBytes: 1e10, totalBytes: 3e10 },
    devices: [],
    hotplug: { available: false, reason: 'test' },
    outbox: { depthMessages: 0, depthBytes: 0, oldestAgeMs: null, capacityBytes: 1e8, pressure: 'normal', refused: { result: 0, event: 0, telemetry: 0 }, expired: 0 },
    uplink: { state: 'connected', protocol: '5', reconnects: 0, sent: 0, acked: 0 },
    bus: { clients: 0 },
    pipelines: {},
    nodeRed: { running: true, errors: 0 },
  }),
};
