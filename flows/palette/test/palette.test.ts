// Every classroom node under node-red-node-test-helper, against the real gateway parts (bus,
// outbox, publisher, request router, device registry with simulated scanners) behind the real
// ClassroomBridge. Node-RED is a per-process singleton: every test that loads nodes is in this
// file (vitest's 'forks' pool gives each file its own process).
import { createRequire } from 'node:module';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BASE, sample, startGatewayParts, type GatewayParts } from '../../../gateway/test-support/gateway-parts.js';

const require = createRequire(import.meta.url);

interface SpyCall {
  thisValue: unknown;
  args: unknown[];
}
interface TestNode {
  id: string;
  type: string;
  on(event: 'input', listener: (msg: Record<string, unknown>) => void): void;
  receive(msg: Record<string, unknown>): void;
  status: { getCalls(): SpyCall[] };
  error: { getCalls(): SpyCall[] };
}
interface Helper {
  init(runtimePath: string): void;
  settings(settings: Record<string, unknown>): Record<string, unknown>;
  load(nodes: unknown[], flow: unknown[]): Promise<void>;
  unload(): Promise<void>;
  getNode(id: string): TestNode;
  startServer(): Promise<void>;
  stopServer(): Promise<void>;
  request(): { get(path: string): PromiseLike<{ status: number; body: unknown }> };
}
type Msg = Record<string, unknown>;
type Status = { fill?: string; shape?: string; text?: string };

const helper = require('node-red-node-test-helper') as Helper;
helper.init(require.resolve('node-red'));

const palette = {
  scan: require('../nodes/scan.js') as unknown,
  scannedPage: require('../nodes/scanned-page.js') as unknown,
  classReport: require('../nodes/class-report.js') as unknown,
  penStrokes: require('../nodes/pen-strokes.js') as unknown,
  penProgress: require('../nodes/pen-progress.js') as unknown,
  mirror: require('../nodes/mirror.js') as unknown,
  deviceStatus: require('../nodes/device-status.js') as unknown,
  health: require('../nodes/health.js') as unknown,
  toDistrict: require('../nodes/to-district.js') as unknown,
};
const allNodes = Object.values(palette);

let gw: GatewayParts;

beforeAll(async () => {
  gw = await startGatewayParts();
  await helper.startServer();
});

afterEach(async () => {
  await helper.unload();
});

afterAll(async () => {
  await helper.stopServer();
  await gw?.close();
});

/** The bridge is reachable as RED.settings.classroomGateway, as in the gateway's own Node-RED. */
function withGateway(bridge: unknown = gw.bridge): void {
  helper.settings({ classroomGateway: bridge ?? undefined });
}

const TAB = { id: 'tab', type: 'tab', label: 'test' };

/** A flow: the nodes under test, a helper node `<id>-out` collecting each one's output, and a catch node. */
function flow(nodes: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  return [
    TAB,
    // x and y: without them Node-RED takes a node on a tab for a config node.
    ...nodes.map((n) => ({ z: 'tab', x: 100, y: 100, ...n, wires: [[`${String(n.id)}-out`]] })),
    ...nodes.map((n) => ({ id: `${String(n.id)}-out`, z: 'tab', x: 300, y: 100, type: 'helper', wires: [] })),
    { id: 'catch', z: 'tab', x: 100, y: 300, type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', z: 'tab', x: 300, y: 300, type: 'helper', wires: [] },
  ];
}

function collect(id: string): Msg[] {
  const got: Msg[] = [];
  helper.getNode(id).on('input', (msg) => got.push(msg));
  return got;
}

function callsOf(id: string, method: 'status' | 'error'): unknown[][] {
  const node = helper.getNode(id);
  return node[method].getCalls().filter((c) => c.thisValue === node).map((c) => c.args);
}
const statuses = (id: string): Status[] => callsOf(id, 'status').map((args) => args[0] as Status);
const lastStatus = (id: string): Status | undefined => statuses(id).at(-1);
const errors = (id: string): string[] => callsOf(id, 'error').map((args) => String(args[0] instanceof Error ? args[0].message : args[0]));

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
/** Lets messages that should not arrive have their chance to. */
const settle = () => new Promise((r) => setTimeout(r, 100));

const payloads = (msgs: Msg[]) => msgs.map((m) => m.payload as Record<string, unknown>);

describe('classroom palette: loading', () => {
  it('registers every node type and each shows it is connected', async () => {
    withGateway();
    const types = [
      ['scan', 'classroom scan', { device: 'scanner-1' }],
      ['page', 'classroom scanned page', {}],
      ['report', 'classroom class report', {}],
      ['strokes', 'classroom pen strokes', {}],
      ['progress', 'classroom pen progress', {}],
      ['mirror', 'classroom mirror', {}],
      ['device', 'classroom device status', {}],
      ['health', 'classroom health', {}],
      ['district', 'classroom to district', { flow: 'alerts' }],
    ] as const;
    await helper.load(allNodes, flow(types.map(([id, type, config]) => ({ id, type, ...config }))));
    for (const [id, type] of types) {
      expect(helper.getNode(id).type).toBe(type);
      expect(lastStatus(id), id).toMatchObject({ fill: 'green', shape: 'dot' });
      expect(errors(id), id).toEqual([]);
    }
    expect(lastStatus('page')?.text).toBe('listening');
    expect(lastStatus('scan')?.text).toBe('ready: scanner-1');
    expect(lastStatus('district')?.text).toBe('ready: flow/alerts');
  });

  it('says clearly, instead of failing the deploy, when it is not inside the gateway', async () => {
    withGateway(null);
    await helper.load(allNodes, flow([
      { id: 'page', type: 'classroom scanned page' },
      { id: 'scan', type: 'classroom scan', device: 'scanner-1' },
      { id: 'district', type: 'classroom to district', flow: 'alerts' },
    ]));
    for (const id of ['page', 'scan', 'district']) {
      expect(lastStatus(id), id).toEqual({ fill: 'red', shape: 'ring', text: 'not inside the classroom gateway' });
      expect(errors(id)[0], id).toMatch(/this palette runs only inside the classroom gateway/);
    }
    // A message into a node that cannot work reaches a Catch node instead of vanishing.
    const caught = collect('caught');
    helper.getNode('district').receive({ payload: { x: 1 } });
    await until(() => caught.length === 1, 'the catch node');
    expect((caught[0]!.error as { message: string }).message).toMatch(/not sent: this palette runs only inside the classroom gateway/);
  });

  it('reports bad settings (unknown device, bad filter, bad name) on the node and in the debug sidebar', async () => {
    withGateway();
    await helper.load(allNodes, flow([
      { id: 'no-scanner', type: 'classroom scan', device: '' },
      { id: 'unknown-scanner', type: 'classroom scan', device: 'scanner-9' },
      { id: 'bad-dpi', type: 'classroom scan', device: 'scanner-1', resolution: '20' },
      { id: 'unknown-device', type: 'classroom device status', device: 'printer-7' },
      { id: 'bad-pages', type: 'classroom scanned page', pages: 'sideways' },
      { id: 'bad-station', type: 'classroom mirror', station: 'camera/#' },
      { id: 'bad-name', type: 'classroom to district', flow: 'not allowed!' },
      { id: 'no-name', type: 'classroom to district', flow: '' },
    ]));
    const expected: Record<string, [string, RegExp]> = {
      'no-scanner': ['no scanner chosen', /choose the scanner/],
      'unknown-scanner': ['unknown device scanner-9', /unknown device "scanner-9": this box has scanner-1, jammy/],
      'bad-dpi': ['bad resolution', /resolution must be a whole number from 50 to 1200; found "20"/],
      'unknown-device': ['unknown device printer-7', /unknown device "printer-7"/],
      'bad-pages': ['bad pages', /pages must be one of any, graded, unrecognised, blank, rejected/],
      'bad-station': ['bad station', /station "camera\/#" is not a valid id/],
      'bad-name': ['invalid message name', /message name "not allowed!" is not allowed: use 1 to 64 letters, digits, _ or -/],
      'no-name': ['no message name', /give the messages a name/],
    };
    for (const [id, [text, message]] of Object.entries(expected)) {
      expect(lastStatus(id), id).toEqual({ fill: 'red', shape: 'ring', text });
      expect(errors(id).join('\n'), id).toMatch(message);
    }
  });

  it('serves the box scanners to the editor dropdown', async () => {
    withGateway();
    await helper.load(allNodes, flow([{ id: 'scan', type: 'classroom scan', device: 'scanner-1' }]));
    const scanners = await helper.request().get('/classroom/devices?kind=scanner');
    expect(scanners.status).toBe(200);
    expect(scanners.body).toEqual([
      { id: 'scanner-1', kind: 'scanner', transport: 'simulated', state: 'ready' },
      { id: 'jammy', kind: 'scanner', transport: 'simulated', state: 'ready' },
    ]);
    expect(((await helper.request().get('/classroom/devices?kind=camera')).body as unknown[]).length).toBe(0);
  });
});

describe('classroom palette: listening nodes pass contract messages and filter the rest', () => {
  it('classroom scanned page: by status and assignment, with the envelope', async () => {
    withGateway();
    await helper.load(allNodes, flow([
      { id: 'any', type: 'classroom scanned page', pages: 'any', assignment: '' },
      { id: 'graded-fw3', type: 'classroom scanned page', pages: 'graded', assignment: 'fractions-week3' },
      // As flows saved before the setting was renamed from `status` have it.
      { id: 'blank', type: 'classroom scanned page', status: 'blank' },
    ]));
    const [any, graded, blank] = [collect('any-out'), collect('graded-fw3-out'), collect('blank-out')];
    const sent = [sample.scanPage('graded', 'fractions-week3'), sample.scanPage('graded', 'decimals'), sample.scanPage('blank'), sample.scanPage('rejected')];
    const ids: string[] = [];
    for (const page of sent) ids.push((await gw.publisher.publish('scanPage', {}, page)).id);
    await gw.publisher.publish('alarm', {}, sample.alarm()); // not a page: ignored
    await until(() => any.length === 4, 'all pages');
    await settle();
    expect(payloads(any)).toEqual(sent);
    expect(graded).toHaveLength(1);
    expect(graded[0]).toMatchObject({
      topic: `${BASE}/scan/page`,
      payload: sent[0],
      schema: 'scan-page/1',
      params: {},
      envelope: { id: ids[0], seq: expect.any(Number), ts: expect.any(String) },
    });
    expect(payloads(blank).map((p) => p.status)).toEqual(['blank']);
    // The count under the node, at most once a second.
    await until(() => lastStatus('any')?.text === 'listening · 4 received', 'the count', 3000);
    expect(lastStatus('any')).toMatchObject({ fill: 'green', shape: 'dot' });
  });

  it('classroom class report: every assignment, or one', async () => {
    withGateway();
    await helper.load(allNodes, flow([
      { id: 'all', type: 'classroom class report', assignment: '' },
      { id: 'one', type: 'classroom class report', assignment: 'fractions-week3' },
    ]));
    const [all, one] = [collect('all-out'), collect('one-out')];
    await gw.publisher.publish('classReport', { assignment: 'decimals' }, sample.classReport('decimals'));
    await gw.publisher.publish('classReport', { assignment: 'fractions-week3' }, sample.classReport('fractions-week3'));
    await until(() => all.length === 2, 'both reports');
    await settle();
    expect(one).toHaveLength(1);
    expect(one[0]).toMatchObject({ topic: `${BASE}/scan/report/fractions-week3`, schema: 'class-report/1', params: { assignment: 'fractions-week3' }, payload: { assignmentId: 'fractions-week3', missing: ['s02'] } });
  });

  it('classroom pen strokes: local strokes (no envelope), one student or all', async () => {
    withGateway();
    await helper.load(allNodes, flow([
      { id: 'all', type: 'classroom pen strokes', student: '' },
      { id: 's01', type: 'classroom pen strokes', student: 's01' },
    ]));
    const [all, s01] = [collect('all-out'), collect('s01-out')];
    for (const student of ['s01', 's02', null]) await gw.publisher.publishLocal('penStroke', {}, sample.penStroke(student));
    await until(() => all.length === 3, 'three strokes');
    await settle();
    expect(payloads(s01).map((p) => p.studentId)).toEqual(['s01']);
    expect(s01[0]).toMatchObject({ topic: `${BASE}/pens/stroke`, schema: 'pen-stroke/1', params: {} });
    expect(s01[0]).not.toHaveProperty('envelope');
  });

  it('classroom pen progress: live, burden, pages, both (live and burden) or all', async () => {
    withGateway();
    await helper.load(allNodes, flow([
      { id: 'live', type: 'classroom pen progress', what: 'live' },
      { id: 'burden', type: 'classroom pen progress', what: 'burden' },
      { id: 'pages', type: 'classroom pen progress', what: 'pages' },
      { id: 'both', type: 'classroom pen progress', what: 'both' },
      { id: 'all', type: 'classroom pen progress', what: 'all' },
    ]));
    const [live, burden, pages, both, all] = ['live', 'burden', 'pages', 'both', 'all'].map((id) => collect(`${id}-out`));
    await gw.publisher.publish('penLive', {}, sample.penLive());
    await gw.publisher.publish('homeworkBurden', { assignment: 'fractions-week3' }, sample.homeworkBurden('fractions-week3'));
    await gw.publisher.publish('penPage', {}, sample.penPage('s01'));
    await until(() => all!.length === 3, 'all three messages');
    await settle();
    expect(live!.map((m) => m.schema)).toEqual(['pen-live/1']);
    expect(burden!.map((m) => [m.schema, m.params])).toEqual([['homework-burden/1', { assignment: 'fractions-week3' }]]);
    expect(pages!.map((m) => [m.topic, m.schema])).toEqual([[`${BASE}/pens/page`, 'pen-page/1']]);
    expect(payloads(pages!)[0]).toMatchObject({ studentId: 's01', score: 1, revision: 1 });
    expect(pages![0]!.envelope).toMatchObject({ seq: 1 });
    expect(both!.map((m) => m.schema)).toEqual(['pen-live/1', 'homework-burden/1']);
  });

  it('classroom pen strokes: pen events from the pen hubs only, with or without strokes', async () => {
    const pens = await startGatewayParts({ penHubPens: 2 });
    try {
      withGateway(pens.bridge);
      await helper.load(allNodes, flow([
        { id: 'events', type: 'classroom pen strokes', what: 'events', student: 's01' },
        { id: 'both', type: 'classroom pen strokes', what: 'both', student: 's01' },
      ]));
      const [events, both] = [collect('events-out'), collect('both-out')];
      // The simulated hub's own pens connecting (real device events), and a scanner's event that must not pass.
      await pens.publisher.publish('deviceEvent', { device: 'scanner-1' }, sample.deviceEvent('scanner-1'));
      await until(() => events.filter((m) => (m.payload as { type: string }).type === 'pen-connected').length === 2, 'two pens connected');
      await pens.publisher.publishLocal('penStroke', {}, sample.penStroke('s01'));
      await pens.publisher.publishLocal('penStroke', {}, sample.penStroke('s02'));
      await until(() => both.some((m) => m.schema === 'pen-stroke/1'), "s01's stroke");
      await settle();
      expect(events.every((m) => m.schema === 'device-event/1' && (m.params as { device: string }).device === 'pen-hub-1')).toBe(true);
      expect(payloads(events).find((p) => p.type === 'pen-connected')).toMatchObject({ device: 'pen-hub-1', level: 'info', data: { pen: expect.any(String) } });
      expect(both.filter((m) => m.schema === 'pen-stroke/1').map((m) => (m.payload as { studentId: string }).studentId)).toEqual(['s01']);
      expect(both.filter((m) => m.schema === 'device-event/1').length).toBe(events.length);
      expect(statuses('events').at(-1)?.fill).toBe('green');
    } finally {
      await helper.unload();
      await pens.close();
    }
  });

  it('classroom mirror: check-ins, reps, sessions, by station', async () => {
    withGateway();
    await helper.load(allNodes, flow([
      { id: 'all', type: 'classroom mirror', what: 'all', station: '' },
      { id: 'checkins', type: 'classroom mirror', what: 'checkins', station: '' },
      { id: 'reps', type: 'classroom mirror', what: 'reps', station: 'camera-1' },
      { id: 'cam2', type: 'classroom mirror', what: 'all', station: 'camera-2' },
    ]));
    const [all, checkins, reps, cam2] = [collect('all-out'), collect('checkins-out'), collect('reps-out'), collect('cam2-out')];
    await gw.publisher.publish('mirrorCheckin', { station: 'camera-1' }, sample.mirrorCheckin('camera-1'));
    await gw.publisher.publishLocal('mirrorRep', { station: 'camera-1' }, sample.mirrorRep('camera-1'));
    await gw.publisher.publishLocal('mirrorRep', { station: 'camera-2' }, sample.mirrorRep('camera-2'));
    await gw.publisher.publish('mirrorSession', { station: 'camera-2' }, sample.mirrorSession('camera-2'));
    await until(() => all.length === 4, 'all mirror messages');
    await settle();
    expect(checkins.map((m) => m.schema)).toEqual(['mirror-checkin/1']);
    expect(reps.map((m) => [m.schema, m.params])).toEqual([['mirror-rep/1', { station: 'camera-1' }]]);
    expect(cam2.map((m) => m.schema)).toEqual(['mirror-rep/1', 'mirror-session/1']);
  });

  it('classroom device status: state and events of one device', async () => {
    withGateway();
    await helper.load(allNodes, flow([
      { id: 'scanner', type: 'classroom device status', what: 'both', device: 'scanner-1' },
      { id: 'events', type: 'classroom device status', what: 'events', device: '' },
    ]));
    const [scanner, events] = [collect('scanner-out'), collect('events-out')];
    await gw.publisher.publish('deviceState', { device: 'jammy' }, sample.deviceState('jammy'));
    await gw.publisher.publish('deviceState', { device: 'scanner-1' }, sample.deviceState('scanner-1'));
    await gw.publisher.publish('deviceEvent', { device: 'jammy' }, sample.deviceEvent('jammy'));
    await gw.publisher.publish('deviceEvent', { device: 'scanner-1' }, sample.deviceEvent('scanner-1'));
    await until(() => scanner.length === 2 && events.length === 2, 'device messages');
    await settle();
    expect(scanner.map((m) => [m.topic, m.schema])).toEqual([
      [`${BASE}/device/scanner-1/state`, 'device-state/1'],
      [`${BASE}/device/scanner-1/event`, 'device-event/1'],
    ]);
    expect(events.map((m) => m.params)).toEqual([{ device: 'jammy' }, { device: 'scanner-1' }]);
  });

  it('classroom health: health and alarms', async () => {
    withGateway();
    await helper.load(allNodes, flow([
      { id: 'both', type: 'classroom health', what: 'both' },
      { id: 'alarms', type: 'classroom health', what: 'alarms' },
    ]));
    const [both, alarms] = [collect('both-out'), collect('alarms-out')];
    await gw.publisher.publish('health', {}, sample.health());
    await gw.publisher.publish('alarm', {}, sample.alarm());
    await until(() => both.length === 2, 'health and alarm');
    await settle();
    expect(both.map((m) => m.schema)).toEqual(['health/1', 'alarm/1']);
    expect(payloads(alarms)).toEqual([sample.alarm()]);
  });

  it('stops listening when the flow is stopped', async () => {
    withGateway();
    await helper.load(allNodes, flow([{ id: 'alarms', type: 'classroom health', what: 'alarms' }]));
    const alarms = collect('alarms-out');
    await helper.unload();
    await gw.publisher.publish('alarm', {}, sample.alarm());
    await settle();
    expect(alarms).toEqual([]);
    // afterEach unloads again: load an empty flow so that it has something to stop.
    await helper.load(allNodes, flow([]));
  });
});

describe('classroom scan', () => {
  it('runs a scan on the simulated scanner and outputs the batch summary', async () => {
    withGateway();
    await helper.load(allNodes, flow([
      { id: 'scan', type: 'classroom scan', device: 'scanner-1', duplex: false, resolution: '200', maxPages: '2' },
      { id: 'device', type: 'classroom device status', what: 'both', device: 'scanner-1' },
    ]));
    const [out, caught, device] = [collect('scan-out'), collect('caught'), collect('device-out')];
    helper.getNode('scan').receive({ payload: 'go', topic: 'stack of 5b' });
    await until(() => out.length === 1, 'the summary');
    expect(out[0]).toMatchObject({ topic: 'stack of 5b', device: 'scanner-1', payload: { batchId: expect.any(String), pages: 2, outcome: 'completed' } });
    expect(statuses('scan').map((s) => s.text)).toEqual(['ready: scanner-1', 'scanning… (scanner-1)', '2 pages']);
    expect(statuses('scan')[1]).toMatchObject({ fill: 'yellow', shape: 'ring' });
    expect(lastStatus('scan')).toMatchObject({ fill: 'green', shape: 'dot' });
    // It really was the scanner: busy, ready again, and its batch-done event names the same batch.
    await until(() => device.length === 3, 'the device messages');
    expect(device.map((m) => (m.payload as { state?: string; type?: string }).state ?? (m.payload as { type: string }).type)).toEqual(['busy', 'batch-done', 'ready']);
    expect(device[1]!.payload).toMatchObject({ device: 'scanner-1', data: { batchId: (out[0]!.payload as { batchId: string }).batchId, pages: 2 } });
    expect(caught).toEqual([]);
  });

  it('lets msg override the settings, and checks what it gets', async () => {
    withGateway();
    await helper.load(allNodes, flow([{ id: 'scan', type: 'classroom scan', device: 'jammy', maxPages: '5' }]));
    const [out, caught] = [collect('scan-out'), collect('caught')];
    const scan = helper.getNode('scan');
    scan.receive({ device: 'scanner-1', maxPages: 1 });
    await until(() => out.length === 1, 'the summary');
    expect(out[0]!.payload).toMatchObject({ pages: 1, outcome: 'completed' });
    scan.receive({ resolution: 5 });
    await until(() => caught.length === 1, 'the bad resolution');
    expect((caught[0]!.error as { message: string }).message).toMatch(/msg\.resolution must be a whole number from 50 to 1200; found 5/);
    scan.receive({ device: 'scanner-77' });
    await until(() => caught.length === 2, 'the unknown scanner');
    expect((caught[1]!.error as { message: string }).message).toMatch(/unknown device "scanner-77"/);
    expect(lastStatus('scan')).toEqual({ fill: 'red', shape: 'ring', text: 'unknown device scanner-77' });
  });

  it('sends a jam to the Catch node with the summary, and shows it in red', async () => {
    withGateway();
    await helper.load(allNodes, flow([{ id: 'scan', type: 'classroom scan', device: 'jammy', maxPages: '3' }]));
    const [out, caught] = [collect('scan-out'), collect('caught')];
    helper.getNode('scan').receive({ payload: 'go' });
    await until(() => caught.length === 1, 'the jam');
    expect(caught[0]).toMatchObject({ payload: { outcome: 'jammed', pages: 1 }, error: { message: expect.stringMatching(/jammy: paper jam after page 1.*\(1 page delivered\)/) } });
    expect(lastStatus('scan')).toEqual({ fill: 'red', shape: 'ring', text: 'jammed · 1 page' });
    expect(out).toEqual([]);
  });

  it('reports a scanner that is busy as an error', async () => {
    withGateway();
    await helper.load(allNodes, flow([{ id: 'scan', type: 'classroom scan', device: 'scanner-1', maxPages: '3' }]));
    const [out, caught] = [collect('scan-out'), collect('caught')];
    const scan = helper.getNode('scan');
    scan.receive({});
    scan.receive({});
    await until(() => out.length === 1 && caught.length === 1, 'one scan and one refusal');
    expect((caught[0]!.error as { message: string }).message).toMatch(/scanner-1 did not scan \(\w+\): a scan is already running/);
  });
});

describe('classroom to district', () => {
  it('puts a flow-message/1 into the outbox and outputs its id, seq and topic', async () => {
    withGateway();
    await helper.load(allNodes, flow([{ id: 'district', type: 'classroom to district', flow: 'hand-in-alert' }]));
    const [out, caught] = [collect('district-out'), collect('caught')];
    helper.getNode('district').receive({ payload: { assignment: 'fractions-week3', handedInShare: 0.75 } });
    await until(() => out.length === 1, 'the receipt');
    const receipt = out[0]!.payload as { id: string; seq: number; topic: string };
    expect(receipt).toEqual({ id: expect.any(String), seq: 1, topic: `${BASE}/flow/hand-in-alert` });
    expect(out[0]!.topic).toBe(`${BASE}/flow/hand-in-alert`);
    const records = (await gw.outboxRecords()).filter((r) => r.stream === 'flow/hand-in-alert');
    expect(records).toHaveLength(1);
    expect(records[0]!.envelope).toMatchObject({
      schema: 'flow-message/1',
      id: receipt.id,
      seq: 1,
      data: { flow: 'hand-in-alert', at: expect.any(String), data: { assignment: 'fractions-week3', handedInShare: 0.75 } },
    });
    expect(records[0]!.priority).toBe('event');
    expect(lastStatus('district')).toEqual({ fill: 'green', shape: 'dot', text: 'queued 1 · flow/hand-in-alert' });
    expect(caught).toEqual([]);
  });

  it('sends a message that is too big, or no payload, to the Catch node and queues nothing', async () => {
    withGateway();
    await helper.load(allNodes, flow([{ id: 'district', type: 'classroom to district', flow: 'big' }]));
    const [out, caught] = [collect('district-out'), collect('caught')];
    const district = helper.getNode('district');
    district.receive({ payload: 'x'.repeat(70 * 1024) });
    await until(() => caught.length === 1, 'the size error');
    expect((caught[0]!.error as { message: string }).message).toMatch(/at most 64 KiB of JSON; this one is 71 KiB/);
    expect(lastStatus('district')).toEqual({ fill: 'red', shape: 'ring', text: 'too big: 71 KiB (max 64)' });
    district.receive({ topic: 'no payload' });
    await until(() => caught.length === 2, 'the missing payload');
    expect((caught[1]!.error as { message: string }).message).toMatch(/msg.payload is missing/);
    expect(out).toEqual([]);
    expect((await gw.outboxRecords()).filter((r) => r.stream === 'flow/big')).toEqual([]);
  });

  it('with an invalid name, every message goes to the Catch node', async () => {
    withGateway();
    await helper.load(allNodes, flow([{ id: 'district', type: 'classroom to district', flow: 'flow/../x' }]));
    const caught = collect('caught');
    helper.getNode('district').receive({ payload: 1 });
    await until(() => caught.length === 1, 'the name error');
    expect((caught[0]!.error as { message: string }).message).toMatch(/not sent: message name "flow\/..\/x" is not allowed/);
    expect(lastStatus('district')).toEqual({ fill: 'red', shape: 'ring', text: 'invalid message name' });
  });

  it('reports a full outbox', async () => {
    // A tiny outbox of its own: 64 KiB, full after a few 6 KiB messages.
    const small = await startGatewayParts({ outboxBytes: 64 * 1024 });
    try {
      withGateway(small.bridge);
      await helper.load(allNodes, flow([{ id: 'district', type: 'classroom to district', flow: 'fill' }]));
      const [out, caught] = [collect('district-out'), collect('caught')];
      const district = helper.getNode('district');
      for (let i = 0; i < 20 && caught.length === 0; i++) {
        district.receive({ payload: { i, text: 'y'.repeat(6 * 1024) } });
        await until(() => out.length + caught.length === i + 1, `message ${i}`);
      }
      expect(out.length).toBeGreaterThan(0);
      expect((caught[0]!.error as { message: string }).message).toMatch(/outbox full: event message refused/);
      expect(lastStatus('district')).toEqual({ fill: 'red', shape: 'ring', text: 'outbox full: not sent' });
    } finally {
      await helper.unload();
      await helper.load(allNodes, flow([]));
      await small.close();
    }
  });
});
