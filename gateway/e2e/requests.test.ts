import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Response } from '../contract/types.generated.js';
import { contractProblems } from '../test-support/contract-check.js';
import { startGatewayProcess, type GatewayProcess } from '../test-support/gateway-process.js';
import type { Envelope } from '../uplink/outbox/types.js';

/** Requests over the local bus against the real gateway in its default, no-district mode. */
describe('requests (real gateway, loopback mode)', () => {
  let gateway: GatewayProcess;
  let client: MqttClient;
  const seen: { topic: string; payload: Buffer }[] = [];

  beforeAll(async () => {
    gateway = await startGatewayProcess();
    client = await mqtt.connectAsync(`mqtt://127.0.0.1:${gateway.busPort}`, { protocolVersion: 4 });
    client.on('message', (topic, payload) => seen.push({ topic, payload }));
    await client.subscribeAsync(`${gateway.baseTopic}/#`, { qos: 1 });
  });
  afterAll(async () => {
    await client?.endAsync(true);
    await gateway?.kill('SIGKILL');
  });

  async function request(op: string, body: unknown): Promise<Response> {
    const transaction = `tx-${Math.random().toString(36).slice(2)}`;
    const payload = typeof body === 'string' ? body : JSON.stringify({ transaction, ...(body as object) });
    const topic = `${gateway.baseTopic}/response/${op}`;
    const start = seen.length;
    client.publish(`${gateway.baseTopic}/request/${op}`, payload);
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      for (const m of seen.slice(start)) {
        if (m.topic !== topic) continue;
        const response = (JSON.parse(m.payload.toString()) as Envelope).data as Response;
        if (typeof body === 'string' || response.transaction === transaction) return response;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no response on ${topic}`);
  }

  it('answers status with the gateway, uplink and devices', async () => {
    const response = await request('status', {});
    expect(response.status).toBe('ok');
    expect(response.data).toMatchObject({ uplink: { state: 'loopback' }, devices: [{ id: 'scanner-1' }, { id: 'pen-hub-1', kind: 'pen-hub' }, { id: 'camera-1', kind: 'camera' }] });
  });

  it('gets settings with secrets masked and sets them, naming restart-only keys', async () => {
    const got = await request('get-settings', {});
    expect(got).toMatchObject({ status: 'ok', data: { gateway: { id: 'gateway-1' }, web: { host: '127.0.0.1' } } });
    const set = await request('set-settings', { data: { patch: { telemetry: { intervalSeconds: 30 }, classroom: { name: 'Room 12' } } } });
    expect(set).toMatchObject({ status: 'ok', data: { applied: ['telemetry.intervalSeconds'], restartRequired: ['classroom.name'] } });
    const after = await request('get-settings', {});
    expect(after.data).toMatchObject({ telemetry: { intervalSeconds: 30 }, classroom: { name: 'Room 12' } });
  });

  it('refuses an invalid settings patch, naming the key, and keeps the old value', async () => {
    const response = await request('set-settings', { data: { patch: { web: { port: 'eighty' } } } });
    expect(response).toMatchObject({ status: 'error', error: { code: 'invalid' } });
    expect(response.error?.message).toContain('web.port');
    expect((await request('get-settings', {})).data).toMatchObject({ web: { port: gateway.webPort } });
  });

  it('runs a scan on the default simulated scanner through the device hook', async () => {
    const response = await request('device', { data: { device: 'scanner-1', action: 'scan', args: { maxPages: 2 } } });
    expect(response).toMatchObject({ status: 'ok', data: { pages: 2, outcome: 'completed' } });
    const events = seen.filter((m) => m.topic === `${gateway.baseTopic}/device/scanner-1/event`).map((m) => (JSON.parse(m.payload.toString()) as Envelope).data);
    expect(events).toContainEqual(expect.objectContaining({ type: 'batch-done', level: 'info' }));
    // The simulated scanner feeds the example class's filled-in homework: each page is read and
    // graded, and the class report follows the batch.
    const onTopic = (suffix: string) => seen.filter((m) => m.topic === `${gateway.baseTopic}/${suffix}`).map((m) => (JSON.parse(m.payload.toString()) as Envelope).data);
    await expect.poll(() => onTopic('scan/page').length, { timeout: 15_000 }).toBe(2);
    expect(onTopic('scan/page')).toEqual([
      expect.objectContaining({ status: 'graded', assignmentId: 'fractions-week3', page: 1, studentId: 's01' }),
      expect.objectContaining({ status: 'graded', assignmentId: 'fractions-week3', page: 2, studentId: 's01' }),
    ]);
    await expect.poll(() => onTopic('scan/report/fractions-week3').length, { timeout: 15_000 }).toBe(1);
    expect(onTopic('scan/report/fractions-week3')[0]).toMatchObject({ handedIn: ['s01'], missing: Array.from({ length: 39 }, (_, i) => `s${String(i + 2).padStart(2, '0')}`), pagesRead: 2 });
    // On the box: the scans with every answer region cut out, and the student's wrong-question book.
    await expect.poll(() => existsSync(join(gateway.dataDir, 'reports', 'fractions-week3', 's01-wrong-questions.pdf')), { timeout: 10_000 }).toBe(true);
    const image = (onTopic('scan/page')[0] as { image: string }).image;
    // By default no student handwriting leaves the box: no crops in the results.
    expect(onTopic('scan/page').every((p) => !('crops' in (p as object)))).toBe(true);
    expect(readFileSync(join(gateway.dataDir, image)).length).toBeGreaterThan(10_000);
    const busy = await request('device', { data: { device: 'scanner-1', action: 'scan', args: { resolution: 'max' } } });
    expect(busy).toMatchObject({ status: 'error', error: { code: 'failed', message: expect.stringContaining('resolution') } });
  });

  it('answers unknown ops, malformed payloads and bad device actions with errors', async () => {
    expect((await request('fly', {})).error?.code).toBe('unknown-op');
    expect((await request('status', '{oops')).error?.code).toBe('malformed');
    expect((await request('device', { data: { device: 'nope', action: 'scan' } })).error?.code).toBe('not-found');
    expect((await request('device', { data: {} })).error?.code).toBe('invalid');
  });

  it('publishes only messages that match the contract', async () => {
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.length).toBeGreaterThan(5);
    expect(contractProblems(gateway.baseTopic, seen.filter((m) => !m.topic.includes('/request/')))).toEqual([]);
  });

  it('is still alive after all of that', async () => {
    const health = await fetch(`http://127.0.0.1:${gateway.webPort}/api/health`);
    expect(health.status).toBe(200);
  });
});
