// Starts the real Node-RED, which is a per-process singleton: every test that needs it lives in
// this file (vitest's 'forks' pool gives each file its own process). It runs without the classroom
// palette, so its "default flows" are a fixture of core nodes; the shipped flows/default-flows.json
// (classroom nodes) is tested in flows/default-flows.test.ts.
import { createDecipheriv, createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import bcrypt from 'bcryptjs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../log/logger.js';
import { sampleSnapshot } from '../web/test-support/snapshot.js';
import { createWebServer, type WebServer } from '../web/server.js';
import { startNodeRed, type NodeRedHandle } from './node-red.js';

const PASSWORD = 'correct horse battery staple';
const SECRET = 'per-device-credential-secret';
const TAB = 'c1a55f10a0000001';
const DEFAULT_FLOWS = [
  { id: TAB, type: 'tab', label: 'Classroom gateway', disabled: false, info: '' },
  { id: 'c1a55f10a0000002', type: 'comment', z: TAB, name: 'Classroom gateway — see README', info: '', x: 200, y: 60, wires: [] },
  // A config node with credentials, for the credential-secret test.
  { id: 'c1a55f10a0000005', type: 'mqtt-broker', name: 'Local gateway bus', broker: '127.0.0.1', port: '1883', clientid: '', autoConnect: false, usetls: false, protocolVersion: '4', keepalive: '60', cleansession: true },
];
let defaultFlowsFile: string;

let userDir: string;
let web: WebServer;
let base: string;
let red: NodeRedHandle;
const logLines: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  userDir = await mkdtemp(join(tmpdir(), 'gw-nodered-'));
  defaultFlowsFile = join(userDir, 'default-flows.json');
  await writeFile(defaultFlowsFile, JSON.stringify(DEFAULT_FLOWS));
  const adminPasswordHash = await bcrypt.hash(PASSWORD, 4);
  // Mounted on the gateway's own web server, as in production.
  web = createWebServer({ host: '127.0.0.1', port: 0, logger: silentLogger(), adminPasswordHash, status: async () => sampleSnapshot(), actions: {} });
  base = `http://127.0.0.1:${(await web.listen()).port}`;
  const capture = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  red = await startNodeRed({
    server: web.server,
    app: web.app,
    path: '/admin',
    userDir,
    adminPasswordHash,
    credentialSecret: SECRET,
    defaultFlowsFile,
    logger: pino({ level: 'info' }, capture),
    globalContext: { gatewayId: 'test-gw' },
  });
});

afterAll(async () => {
  await red?.stop();
  await web?.close();
  await rm(userDir, { recursive: true, force: true });
});

async function token(password = PASSWORD): Promise<Response> {
  return fetch(`${base}/admin/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: 'node-red-admin', grant_type: 'password', scope: '*', username: 'admin', password }),
  });
}

async function bearer(): Promise<Record<string, string>> {
  const res = await token();
  expect(res.status).toBe(200);
  const body = (await res.json()) as { access_token: string };
  return { authorization: `Bearer ${body.access_token}` };
}

async function deploy(flows: unknown[]): Promise<void> {
  const res = await fetch(`${base}/admin/flows`, {
    method: 'POST',
    headers: { ...(await bearer()), 'content-type': 'application/json', 'node-red-api-version': 'v1', 'node-red-deployment-type': 'nodes' },
    body: JSON.stringify(flows),
  });
  expect(res.status).toBe(204);
}

async function defaultFlows(): Promise<Array<Record<string, unknown>>> {
  return JSON.parse(await readFile(defaultFlowsFile, 'utf8')) as Array<Record<string, unknown>>;
}

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('embedded Node-RED', () => {
  it('guards the admin API with the admin password', async () => {
    expect((await fetch(`${base}/admin/flows`)).status).toBe(401);
    expect((await token('wrong password')).status).toBe(403);
    const res = await fetch(`${base}/admin/flows`, { headers: await bearer() });
    expect(res.status).toBe(200);
  });

  it('installs the default flows on first start and serves them', async () => {
    const res = await fetch(`${base}/admin/flows`, { headers: await bearer() });
    const flows = (await res.json()) as Array<{ id: string; type: string; name?: string }>;
    expect(flows.map((n) => n.id).sort()).toEqual((await defaultFlows()).map((n) => n.id).sort());
    expect(flows.find((n) => n.type === 'comment')?.name).toBe('Classroom gateway — see README');
    expect(red.errors()).toBe(0);
  });

  it('serves the editor with the project title, beside the gateway page', async () => {
    expect(red.editorPath).toBe('/admin/');
    const page = await fetch(`${base}${red.editorPath}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Classroom gateway · flows</title>');
    // The gateway page's strict CSP would break the editor's inline scripts: it must not leak.
    expect(page.headers.get('content-security-policy')).toBeNull();
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
  });

  it('keeps a timestamped copy of the flows before every deploy', async () => {
    const backupDir = join(userDir, 'flow-backups');
    const before = await readFile(join(userDir, 'flows.json'), 'utf8');
    const flows = await defaultFlows();
    await deploy([...flows, { id: 'c0ffee0000000001', type: 'comment', z: TAB, name: 'first', x: 100, y: 300, wires: [] }]);
    const first = await readdir(backupDir);
    expect(first).toHaveLength(1);
    expect(await readFile(join(backupDir, first[0]!), 'utf8')).toBe(before);

    const afterFirst = await readFile(join(userDir, 'flows.json'), 'utf8');
    expect(afterFirst).toContain('"first"');
    await deploy(flows);
    const second = (await readdir(backupDir)).sort();
    expect(second).toHaveLength(2);
    expect(await readFile(join(backupDir, second[1]!), 'utf8')).toBe(afterFirst);
  });

  it('encrypts node credentials with the credential secret', async () => {
    const flows = await defaultFlows();
    const broker = flows.find((n) => n.type === 'mqtt-broker')!;
    await deploy(flows.map((n) => (n === broker ? { ...n, credentials: { user: 'teacher', password: 'plain-s3cret' } } : n)));
    const raw = await readFile(join(userDir, 'flows_cred.json'), 'utf8');
    expect(raw).not.toContain('plain-s3cret');
    const sealed = (JSON.parse(raw) as { $: string }).$;
    // Node-RED's scheme: aes-256-ctr, key sha256(secret), 16-byte IV as hex prefix, base64 body.
    const key = createHash('sha256').update(SECRET).digest();
    const decipher = createDecipheriv('aes-256-ctr', key, Buffer.from(sealed.slice(0, 32), 'hex'));
    const creds = JSON.parse(decipher.update(sealed.slice(32), 'base64', 'utf8') + decipher.final('utf8')) as Record<string, { password?: string }>;
    expect(creds[broker.id as string]?.password).toBe('plain-s3cret');
  });

  it('survives and counts a function node throwing inside setTimeout', async () => {
    const errorsBefore = red.errors();
    await deploy([
      ...(await defaultFlows()),
      { id: 'bad0000000000001', type: 'inject', z: TAB, once: true, onceDelay: 0.1, repeat: '', topic: '', payload: '', payloadType: 'date', props: [{ p: 'payload' }], x: 100, y: 400, wires: [['bad0000000000002']] },
      {
        id: 'bad0000000000002', type: 'function', z: TAB, name: 'broken', outputs: 1, x: 300, y: 400, wires: [[]],
        func: "setTimeout(() => { throw new Error('boom from a flow: ' + global.get('gatewayId')) }, 20);\nreturn null;",
      },
    ]);
    await until(() => red.errors() > errorsBefore, 'the error to be counted');
    const line = logLines.find((l) => typeof l.msg === 'string' && l.msg.includes('boom from a flow: test-gw'));
    expect(line).toMatchObject({ level: 50, component: 'node-red', node: { id: 'bad0000000000002', type: 'function' } });
    // Still serving after the fault.
    expect((await fetch(`${base}/admin/flows`, { headers: await bearer() })).status).toBe(200);
  });
});
