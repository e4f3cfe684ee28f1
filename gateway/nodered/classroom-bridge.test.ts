// The bridge over the real parts: aedes local bus, on-disk outbox, Publisher, RequestRouter with
// the contract's operations and a DeviceRegistry with simulated scanners (the palette's harness).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, sample, startGatewayParts, type GatewayParts } from '../test-support/gateway-parts.js';
import { FLOW_MESSAGE_MAX_BYTES, type BridgeMessage } from './classroom-bridge.js';

let gw: GatewayParts;

beforeAll(async () => {
  gw = await startGatewayParts();
});

afterAll(async () => {
  await gw?.close();
});

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const flowRecords = async (flow: string) => (await gw.outboxRecords()).filter((r) => r.stream === `flow/${flow}`);

describe('ClassroomBridge.subscribe', () => {
  it('passes the names asked for, unwraps envelopes, and ignores everything else', async () => {
    const got: BridgeMessage[] = [];
    const unsubscribe = gw.bridge.subscribe(['scanPage', 'penStroke', 'classReport'], (m) => got.push(m));
    const page = sample.scanPage('graded', 'fractions-week3');
    const { id, seq } = await gw.publisher.publish('scanPage', {}, page);
    await gw.publisher.publish('alarm', {}, sample.alarm()); // not asked for
    await gw.bus.publish(`${BASE}/scan/page`, 'not json'); // a bus client's garbage on a contract topic
    await gw.bus.publish(`${BASE}/somewhere/else`, '{}'); // outside the contract
    await gw.bus.publish('classroom/other-school/5b/gw-9/scan/page', JSON.stringify({ data: page })); // another gateway's base
    const stroke = sample.penStroke('s01');
    await gw.publisher.publishLocal('penStroke', {}, stroke);
    await gw.publisher.publish('classReport', { assignment: 'fractions-week3' }, sample.classReport('fractions-week3'));
    await until(() => got.length === 3, 'three messages');
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toHaveLength(3);

    expect(got[0]).toEqual({
      name: 'scanPage',
      topic: 'scan/page',
      params: {},
      schema: 'scan-page/1',
      payload: page,
      envelope: { id, seq, ts: expect.any(String) },
    });
    // Local messages are not enveloped: the payload is the message itself.
    expect(got[1]).toEqual({ name: 'penStroke', topic: 'pens/stroke', params: {}, schema: 'pen-stroke/1', payload: stroke });
    expect(got[2]).toMatchObject({ name: 'classReport', topic: 'scan/report/fractions-week3', params: { assignment: 'fractions-week3' }, payload: { assignmentId: 'fractions-week3' } });

    unsubscribe();
    await gw.publisher.publish('scanPage', {}, page);
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toHaveLength(3);
  });
});

describe('ClassroomBridge.request', () => {
  it('answers like the router, as a local client, and the response is published too', async () => {
    const direct = await gw.router.handle('status', Buffer.from('{"transaction":"t1"}'), 'local');
    const viaBridge = await gw.bridge.request('status');
    expect(viaBridge).toEqual({ ...direct, transaction: expect.stringMatching(/^flow-[0-9a-f-]{36}$/) });
    expect(viaBridge).toMatchObject({ status: 'ok', data: { gateway: 'gw-1' } });
    const responses = (await gw.outboxRecords()).filter((r) => r.stream === 'response/status');
    expect(responses.map((r) => (r.envelope.data as { transaction: string }).transaction)).toContain(viaBridge.transaction);
  });

  it('runs a device action, and reports errors the way the router does', async () => {
    const scanned = await gw.bridge.request('device', { device: 'scanner-1', action: 'scan', args: { maxPages: 1 } });
    expect(scanned).toMatchObject({ status: 'ok', data: { pages: 1, outcome: 'completed' } });
    expect(await gw.bridge.request('device', { device: 'nope', action: 'scan' })).toMatchObject({ status: 'error', error: { code: 'not-found' } });
    expect(await gw.bridge.request('device', { device: 'scanner-1' })).toMatchObject({ status: 'error', error: { code: 'invalid' } });
    const bad = await gw.bridge.request('device', { device: 'scanner-1', action: 'scan', args: { resolution: 5 } });
    expect(bad).toMatchObject({ status: 'error', error: { message: expect.stringMatching(/resolution/) } });
  });
});

describe('ClassroomBridge.sendToDistrict', () => {
  it('queues a flow-message/1 in the outbox and says where', async () => {
    const receipt = await gw.bridge.sendToDistrict('hand-in', { share: 0.75 });
    expect(receipt).toEqual({ id: expect.any(String), seq: 1, topic: `${BASE}/flow/hand-in` });
    const [record] = await flowRecords('hand-in');
    expect(record).toMatchObject({ priority: 'event', retain: false });
    expect(record!.envelope).toMatchObject({ schema: 'flow-message/1', id: receipt.id, seq: 1, data: { flow: 'hand-in', at: expect.any(String), data: { share: 0.75 } } });
    // Any JSON value; nothing at all becomes null.
    await gw.bridge.sendToDistrict('hand-in', 'text');
    await gw.bridge.sendToDistrict('hand-in', undefined);
    expect((await flowRecords('hand-in')).map((r) => [r.envelope.seq, (r.envelope.data as { data: unknown }).data])).toEqual([
      [1, { share: 0.75 }],
      [2, 'text'],
      [3, null],
    ]);
  });

  it('takes up to 64 KiB of JSON and refuses more, queueing nothing', async () => {
    const atLimit = 'x'.repeat(FLOW_MESSAGE_MAX_BYTES - 2); // plus its two quotes
    await expect(gw.bridge.sendToDistrict('sizes', atLimit)).resolves.toMatchObject({ seq: 1 });
    await expect(gw.bridge.sendToDistrict('sizes', atLimit + 'x')).rejects.toThrow(/at most 64 KiB of JSON; this one is 65 KiB/);
    expect(await flowRecords('sizes')).toHaveLength(1);
  });

  it('refuses a name that is not one clean topic level of at most 64 characters', async () => {
    for (const name of ['a/b', 'has space', '#', '+', '', 'x'.repeat(65), 'ümlaut']) {
      await expect(gw.bridge.sendToDistrict(name, 1), JSON.stringify(name)).rejects.toThrow();
    }
    expect((await gw.outboxRecords()).filter((r) => r.stream.startsWith('flow/') && !['flow/hand-in', 'flow/sizes'].includes(r.stream))).toEqual([]);
    await expect(gw.bridge.sendToDistrict('x'.repeat(64), 1)).resolves.toMatchObject({ seq: 1 });
  });
});

describe('ClassroomBridge.devices', () => {
  it('lists the devices with id, kind, transport and state only', () => {
    expect(gw.bridge.devices()).toEqual([
      { id: 'scanner-1', kind: 'scanner', transport: 'simulated', state: 'ready' },
      { id: 'jammy', kind: 'scanner', transport: 'simulated', state: 'ready' },
    ]);
  });
});
