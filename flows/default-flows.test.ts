// The default flows as a box gets them on first start: copied by the gateway's real embedded
// Node-RED into an empty user directory, run with the classroom palette against the real gateway
// parts (bus, outbox, publisher, request router, simulated scanners). Messages the devices and
// pipelines would send are published through the real Publisher; what the flows show in the debug
// sidebar is read the way the editor reads it, over the admin websocket.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { sample, startGatewayParts, type GatewayParts } from '../gateway/test-support/gateway-parts.js';
import { DEFAULT_FLOWS_FILE, startPaletteNodeRed, type PaletteNodeRed } from '../gateway/test-support/palette-node-red.js';


interface FlowNode {
  id: string;
  type: string;
  z?: string;
  name?: string;
  label?: string;
  env?: Array<{ name: string; value: string; type: string }>;
  wires?: string[][];
}
interface DebugMessage {
  name: string;
  value: unknown;
}

let gw: GatewayParts;
let nr: PaletteNodeRed;
let base: string;
let token: string;
let sidebar: WebSocket;
const debug: DebugMessage[] = [];
/** Deploys the runtime has finished starting (the editor's "deployed" notification). */
let deploysStarted = 0;
const defaults = JSON.parse(await readFile(DEFAULT_FLOWS_FILE, 'utf8')) as FlowNode[];

beforeAll(async () => {
  gw = await startGatewayParts();
  nr = await startPaletteNodeRed(gw.bridge);
  base = nr.base;
  token = await nr.token();
  sidebar = await openDebugSidebar();
});

afterAll(async () => {
  sidebar?.close();
  await nr?.close();
  await gw?.close();
});

/** What the editor's debug sidebar receives: Node-RED's comms websocket, topic "debug". */
async function openDebugSidebar(): Promise<WebSocket> {
  const ws = new WebSocket(`${base.replace('http', 'ws')}/admin/comms`);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const authorised = new Promise<void>((resolve, reject) => {
    ws.on('message', (data: Buffer) => {
      const parsed = JSON.parse(data.toString()) as { auth?: string } | Array<{ topic: string; data: { name?: string; msg: string } }>;
      if (!Array.isArray(parsed)) {
        if (parsed.auth === 'ok') resolve();
        else reject(new Error(`comms auth: ${parsed.auth}`));
        return;
      }
      for (const { topic, data: d } of parsed) {
        if (topic === 'debug') debug.push({ name: d.name ?? '', value: parseDebug(d.msg) });
        if (topic === 'notification/runtime-deploy') deploysStarted += 1;
      }
    });
  });
  ws.send(JSON.stringify({ auth: token }));
  await authorised;
  ws.send(JSON.stringify({ subscribe: 'debug' }));
  ws.send(JSON.stringify({ subscribe: 'notification/runtime-deploy' }));
  return ws;
}

function parseDebug(msg: string): unknown {
  try {
    return JSON.parse(msg);
  } catch {
    return msg;
  }
}

const shown = (name: string) => debug.filter((d) => d.name === name).map((d) => d.value as Record<string, unknown>);

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const byName = (name: string) => {
  const node = defaults.find((n) => n.name === name);
  if (!node) throw new Error(`no node named "${name}" in the default flows`);
  return node;
};

async function sentToDistrict(flow: string): Promise<unknown[]> {
  return (await gw.outboxRecords()).filter((r) => r.stream === `flow/${flow}`).map((r) => (r.envelope.data as { data: unknown }).data);
}

/** Deploys as the editor does; Node-RED answers before the new flows run, so wait for them. */
async function deploy(flows: FlowNode[]): Promise<void> {
  const before = deploysStarted;
  const res = await fetch(`${base}/admin/flows`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'node-red-api-version': 'v1', 'node-red-deployment-type': 'full' },
    body: JSON.stringify(flows),
  });
  expect(res.status).toBe(204);
  await until(() => deploysStarted > before, 'the deployed flows to start');
}

describe('the default flows', () => {
  it('are installed on first start and every node type and wire resolves', async () => {
    expect(JSON.parse(await readFile(join(nr.userDir, 'flows.json'), 'utf8'))).toEqual(defaults);
    const res = await fetch(`${base}/admin/nodes`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
    const sets = (await res.json()) as Array<{ types: string[]; enabled: boolean }>;
    const types = new Set(sets.filter((s) => s.enabled).flatMap((s) => s.types));
    const tabs = new Set(defaults.filter((n) => n.type === 'tab').map((n) => n.id));
    const ids = new Set(defaults.map((n) => n.id));
    expect(defaults.filter((n) => n.type === 'tab').map((n) => n.label)).toEqual(['Scanning', 'Smart pens', 'Magic mirror', 'Gateway']);
    for (const node of defaults.filter((n) => n.type !== 'tab')) {
      expect(types.has(node.type), `${node.type} is a known node type`).toBe(true);
      // No config nodes at all (the palette needs none): every node sits on one of the four tabs.
      expect(tabs.has(node.z ?? ''), `${node.id} is on a tab`).toBe(true);
      for (const target of (node.wires ?? []).flat()) expect(ids.has(target), `${node.id} → ${target}`).toBe(true);
    }
    for (const tab of tabs) expect(defaults.some((n) => n.z === tab && n.type === 'comment'), `a comment on ${tab}`).toBe(true);
    expect(nr.red.errors()).toBe(0);
  });

  it('Scanning: the scan button scans the simulated scanner; unrecognised pages and a low hand-in show up', async () => {
    const res = await fetch(`${base}/admin/inject/${byName('Scan the stack').id}`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    await until(() => shown('scan summary').length === 1, 'the scan summary');
    expect(shown('scan summary')[0]).toMatchObject({ outcome: expect.stringMatching(/^(completed|feeder-empty)$/), pages: expect.any(Number) });

    await gw.publisher.publish('scanPage', {}, sample.scanPage('graded', 'fractions-week3'));
    await gw.publisher.publish('scanPage', {}, sample.scanPage('unrecognised'));
    await until(() => shown('pages to check').length === 1, 'the unrecognised page');
    expect(shown('pages to check')[0]).toMatchObject({ status: 'unrecognised' });

    // 1 of 2 students handed in (50 %): an alert with counts; then all of them: none.
    await gw.publisher.publish('classReport', { assignment: 'fractions-week3' }, sample.classReport('fractions-week3'));
    await until(async () => (await sentToDistrict('low-hand-in')).length === 1, 'flow/low-hand-in in the outbox');
    const all = { ...sample.classReport('fractions-week3'), handedIn: ['s01', 's02'], missing: [] };
    await gw.publisher.publish('classReport', { assignment: 'fractions-week3' }, all);
    await until(() => shown('hand-in alert').length >= 1, 'the alert in the sidebar');
    await new Promise((r) => setTimeout(r, 300));
    const [record] = (await gw.outboxRecords()).filter((r) => r.stream === 'flow/low-hand-in');
    expect(record!.envelope).toMatchObject({ schema: 'flow-message/1', data: { flow: 'low-hand-in' } });
    expect(await sentToDistrict('low-hand-in')).toEqual([{ assignment: 'fractions-week3', classId: '5b', students: 2, handedIn: 1, partial: 0, missing: 1, share: 0.5 }]);
  });

  it('Smart pens: /flows-api/pens shows the class table; homework over the limit goes to the district', async () => {
    const page = () => fetch(`${base}${nr.red.httpNodePath}/pens`).then(async (r) => ({ type: r.headers.get('content-type'), html: await r.text() }));
    expect((await page()).html).toContain('No pen progress yet');
    const student = { studentId: 's07', pen: 'pen-hub-1/7', state: 'writing' as const, assignmentId: 'fractions-week3', page: 2, answered: 3, questions: 8, activeSeconds: 720, idleSeconds: 60, lastWrittenAt: new Date().toISOString() };
    await gw.publisher.publish('penLive', {}, { ...sample.penLive(), students: [student] });
    await until(async () => (await page()).html.includes('s07'), 'the student in the table');
    const { type, html } = await page();
    expect(type).toMatch(/^text\/html/);
    expect(html).toContain('2 pens connected (2 ready)');
    expect(html).toMatch(/<td>s07<\/td><td>writing<\/td><td>fractions-week3<\/td><td>2<\/td><td>3 of 8<\/td><td>12<\/td><td>1<\/td>/);

    const burden = sample.homeworkBurden('fractions-week3');
    await gw.publisher.publish('homeworkBurden', { assignment: 'fractions-week3' }, burden);
    await gw.publisher.publish('homeworkBurden', { assignment: 'fractions-week3' }, { ...burden, distribution: { ...burden.distribution, overLimitShare: 0.25, p90Minutes: 75 } });
    await until(async () => (await sentToDistrict('homework-over-limit')).length === 1, 'flow/homework-over-limit');
    expect(await sentToDistrict('homework-over-limit')).toEqual([{ assignment: 'fractions-week3', grade: 5, limitMinutes: 60, overLimitShare: 0.25, p90Minutes: 75 }]);

    await gw.publisher.publish('penPage', {}, sample.penPage('s07'));
    await until(() => shown('finished pages').length === 1, 'the finished page');
    expect(shown('finished pages')[0]).toMatchObject({ studentId: 's07', revision: 1 });
  });

  it("Magic mirror: sessions, and today's check-ins counted", async () => {
    await gw.publisher.publish('mirrorCheckin', { station: 'camera-1' }, sample.mirrorCheckin('camera-1'));
    await gw.publisher.publish('mirrorCheckin', { station: 'camera-1' }, sample.mirrorCheckin('camera-1'));
    await gw.publisher.publish('mirrorSession', { station: 'camera-1' }, sample.mirrorSession('camera-1'));
    await until(() => shown('check-ins today').length === 2 && shown('sessions').length === 1, 'check-ins and the session');
    expect(shown('check-ins today').map((p) => p.checkins)).toEqual([1, 2]);
    expect(shown('sessions')[0]).toMatchObject({ station: 'camera-1', exercises: [{ exerciseId: 'squat' }] });
  });

  it('Gateway: alarms show; a device disconnected longer than OFFLINE_ALERT_SECONDS goes to the district', async () => {
    await gw.publisher.publish('alarm', {}, sample.alarm());
    await until(() => shown('alarms').length === 1, 'the alarm');

    // The tab's setting, shortened to 1 s, deployed as IT would: the flows file is backed up first.
    const fast = defaults.map((n) => (n.type === 'tab' && n.label === 'Gateway' ? { ...n, env: [{ name: 'OFFLINE_ALERT_SECONDS', value: '1', type: 'num' }] } : n));
    expect(defaults.find((n) => n.label === 'Gateway')?.env).toEqual([{ name: 'OFFLINE_ALERT_SECONDS', value: '60', type: 'num' }]);
    await deploy(fast);
    expect((await readdir(join(nr.userDir, 'flow-backups'))).length).toBeGreaterThanOrEqual(1);

    const state = (id: string, s: 'disconnected' | 'ready' | 'starting') => gw.publisher.publish('deviceState', { device: id }, { ...sample.deviceState(id), state: s });
    const started = Date.now();
    await state('scanner-1', 'disconnected');
    await state('jammy', 'disconnected');
    await state('scanner-1', 'starting'); // still not working: the timer runs on
    await state('jammy', 'ready'); // back within the second: no alert
    await until(async () => (await sentToDistrict('device-offline')).length === 1, 'flow/device-offline', 5000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    await new Promise((r) => setTimeout(r, 1200));
    expect(await sentToDistrict('device-offline')).toEqual([expect.objectContaining({ id: 'scanner-1', kind: 'scanner', state: 'disconnected' })]);
    expect(shown('device offline')).toHaveLength(1);
    expect(nr.red.errors()).toBe(0);
  });
});
