// The palette in the gateway's real embedded Node-RED (one start per process, so in a file of its
// own): nodesDir finds the module, the editor gets each node's HTML and help, and a deployed flow
// "inject → classroom scan → classroom to district" scans on the simulated scanner and puts the
// summary into the outbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayParts, type GatewayParts } from '../../../gateway/test-support/gateway-parts.js';
import { startPaletteNodeRed, type PaletteNodeRed } from '../../../gateway/test-support/palette-node-red.js';

const TYPES = [
  'classroom scan',
  'classroom scanned page',
  'classroom class report',
  'classroom pen strokes',
  'classroom pen progress',
  'classroom mirror',
  'classroom device status',
  'classroom health',
  'classroom to district',
];

let gw: GatewayParts;
let nr: PaletteNodeRed;
let base: string;

beforeAll(async () => {
  gw = await startGatewayParts();
  nr = await startPaletteNodeRed(gw.bridge);
  base = nr.base;
});

afterAll(async () => {
  await nr?.close();
  await gw?.close();
});

async function auth(): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await nr.token()}` };
}

async function until(check: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the palette in the embedded Node-RED', () => {
  it('is found through nodesDir and its nodes are loaded', async () => {
    const res = await fetch(`${base}/admin/nodes`, { headers: { ...(await auth()), accept: 'application/json' } });
    const sets = (await res.json()) as Array<{ module: string; types: string[]; enabled: boolean; err?: string }>;
    const ours = sets.filter((s) => s.module === 'node-red-classroom-gateway');
    expect(ours.flatMap((s) => s.types).sort()).toEqual([...TYPES].sort());
    for (const set of ours) expect(set, set.types[0]).toMatchObject({ enabled: true });
    expect(ours.map((s) => s.err).filter(Boolean)).toEqual([]);
  });

  it('gives the editor every node with its help text', async () => {
    const html = await (await fetch(`${base}/admin/nodes`, { headers: { ...(await auth()), accept: 'text/html' } })).text();
    for (const type of TYPES) {
      expect(html).toContain(`data-template-name="${type}"`);
      expect(html).toContain(`data-help-name="${type}"`);
      expect(html).toContain(`ClassroomPalette.register("${type}"`);
    }
    // Each node's file loads the shared editor script first, which Node-RED serves from resources/.
    expect(html.match(/<script type="text\/javascript" src="resources\/node-red-classroom-gateway\/editor.js"><\/script>/g)).toHaveLength(TYPES.length);
    const script = await fetch(`${base}/admin/resources/node-red-classroom-gateway/editor.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(await script.text()).toContain('window.ClassroomPalette =');
  });

  it('lists the box devices for the editor, behind the login', async () => {
    expect((await fetch(`${base}/admin/classroom/devices`)).status).toBe(401);
    const res = await fetch(`${base}/admin/classroom/devices?kind=scanner`, { headers: await auth() });
    expect(((await res.json()) as Array<{ id: string }>).map((d) => d.id)).toEqual(['scanner-1', 'jammy']);
  });

  it('runs a deployed flow: inject → scan → to district, into the outbox', async () => {
    const flows = [
      { id: 'f1', type: 'tab', label: 'scan and report' },
      { id: 'n1', z: 'f1', type: 'inject', once: true, onceDelay: 0.1, repeat: '', props: [{ p: 'payload' }], payload: '', payloadType: 'date', x: 100, y: 100, wires: [['n2']] },
      { id: 'n2', z: 'f1', type: 'classroom scan', device: 'scanner-1', duplex: false, resolution: '', maxPages: '2', mode: '', x: 300, y: 100, wires: [['n3']] },
      { id: 'n3', z: 'f1', type: 'classroom to district', flow: 'scan-done', x: 500, y: 100, wires: [[]] },
    ];
    const res = await fetch(`${base}/admin/flows`, {
      method: 'POST',
      headers: { ...(await auth()), 'content-type': 'application/json', 'node-red-api-version': 'v1', 'node-red-deployment-type': 'full' },
      body: JSON.stringify(flows),
    });
    expect(res.status).toBe(204);
    const sent = async () => (await gw.outboxRecords()).filter((r) => r.stream === 'flow/scan-done');
    await until(async () => (await sent()).length === 1, 'the flow message in the outbox');
    const [record] = await sent();
    expect(record!.envelope).toMatchObject({ schema: 'flow-message/1', seq: 1, data: { flow: 'scan-done', data: { pages: 2, outcome: 'completed' } } });
    expect(nr.red.errors()).toBe(0);
  });
});
