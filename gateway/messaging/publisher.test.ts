import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalBus, type LocalBus } from '../bus/local-bus.js';
import { ContractValidator, ContractViolation } from '../contract/validator.js';
import { silentLogger } from '../log/logger.js';
import { Outbox } from '../uplink/outbox/outbox.js';
import { Publisher } from './publisher.js';
import { RecentMessages } from './recent-messages.js';

const BASE = 'classroom/s/c/g';
const logger = silentLogger();
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function setup(mirrorToBus: boolean) {
  const outbox = await Outbox.open({ dir: await mkdtemp(join(tmpdir(), 'publisher-')), logger });
  const bus: LocalBus = await createLocalBus({ baseTopic: BASE, loopback: { host: '127.0.0.1', port: 0, allowAnonymous: true }, users: [], logger });
  open.push(outbox, bus);
  const onBus: { topic: string; payload: Buffer }[] = [];
  bus.subscribe(`${BASE}/#`, (topic, payload) => onBus.push({ topic, payload }));
  const recent = new RecentMessages();
  const publisher = new Publisher({ baseTopic: BASE, outbox, bus, mirrorToBus, validator: new ContractValidator(), recent, logger });
  return { outbox, onBus, recent, publisher };
}

const event = { device: 'scanner-1', type: 'feeder-empty', level: 'info', message: 'feeder empty' } as const;

describe('publisher', () => {
  it('makes the message durable, then mirrors the very same bytes on the local bus', async () => {
    const { outbox, onBus, recent, publisher } = await setup(true);
    const { id, seq } = await publisher.publish('deviceEvent', { device: 'scanner-1' }, event);
    const [record] = await outbox.read(outbox.firstUnackedLsn() ?? 0, 10);
    expect(record?.stream).toBe('device/scanner-1/event');
    await new Promise((r) => setTimeout(r, 50));
    expect(onBus).toHaveLength(1);
    expect(onBus[0]?.topic).toBe(`${BASE}/device/scanner-1/event`);
    expect(onBus[0]?.payload.equals(record!.payload)).toBe(true);
    expect(JSON.parse(record!.payload.toString())).toMatchObject({ schema: 'device-event/1', id, seq, data: event });
    expect(recent.list()[0]).toMatchObject({ schema: 'device-event/1', direction: 'out' });
  });

  it('refuses a payload that breaks the contract before anything is stored', async () => {
    const { outbox, onBus, publisher } = await setup(true);
    await expect(publisher.publish('deviceEvent', { device: 'scanner-1' }, { ...event, level: 'loud' as 'info' })).rejects.toBeInstanceOf(ContractViolation);
    expect(outbox.stats().appended).toBe(0);
    expect(onBus).toHaveLength(0);
  });

  it('does not mirror when the uplink itself delivers to the bus (no district)', async () => {
    const { outbox, onBus, publisher } = await setup(false);
    await publisher.publish('deviceEvent', { device: 'scanner-1' }, event);
    await new Promise((r) => setTimeout(r, 50));
    expect(outbox.stats().depthMessages).toBe(1);
    expect(onBus).toHaveLength(0);
  });

  it('publishes a local-only message on the bus, plain and unstored, after checking it', async () => {
    const { outbox, onBus, publisher } = await setup(false);
    const stroke = {
      pen: 'pen-hub-1/3', mac: null, studentId: 's01', address: { section: 3, owner: 27, note: 1, page: 1 }, assignmentId: 'a', page: 1, questionId: 'q1',
      startedAt: '2026-12-02T08:00:00.000Z', endedAt: '2026-12-02T08:00:00.400Z', dots: 50, lostDots: 0, repairs: [], eraser: false,
    };
    await publisher.publishLocal('penStroke', {}, stroke);
    await expect(publisher.publishLocal('penStroke', {}, { ...stroke, dots: -1 })).rejects.toBeInstanceOf(ContractViolation);
    await new Promise((r) => setTimeout(r, 50));
    expect(outbox.stats().appended).toBe(0);
    expect(onBus.map((m) => [m.topic, JSON.parse(m.payload.toString())])).toEqual([[`${BASE}/pens/stroke`, stroke]]);
  });
});
