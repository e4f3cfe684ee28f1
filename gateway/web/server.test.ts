import bcrypt from 'bcryptjs';
import { WebSocket, WebSocketServer } from 'ws';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../log/logger.js';
import { createWebServer, type WebServer } from './server.js';
import type { StatusSnapshot } from './status-types.js';
import { sampleSnapshot } from './test-support/snapshot.js';

const PASSWORD = 'open sesame, classroom 12';
let hash: string;
let web: WebServer;
let base: string;
let snapshot: () => Promise<StatusSnapshot>;
const restart = vi.fn(async () => 'restarting in 1 s');
const device = vi.fn(async (args: unknown) => ({ ran: args }));

beforeAll(async () => {
  hash = await bcrypt.hash(PASSWORD, 4);
  web = createWebServer({
    host: '127.0.0.1',
    port: 0,
    logger: silentLogger(),
    adminPasswordHash: hash,
    status: () => snapshot(),
    actions: {
      restart,
      device,
      explode: async () => {
        throw new Error('scanner busy');
      },
    },
  });
  const { port } = await web.listen();
  base = `http://127.0.0.1:${port}`;
});
afterAll(() => web.close());
beforeEach(() => {
  snapshot = async () => sampleSnapshot();
  restart.mockClear();
  device.mockClear();
});

async function login(password = PASSWORD): Promise<Response> {
  return fetch(`${base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password }) });
}

async function sessionCookie(): Promise<string> {
  const res = await login();
  expect(res.status).toBe(200);
  const cookie = res.headers.get('set-cookie') ?? '';
  return cookie.split(';')[0]!;
}

function act(name: string, init: { cookie?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Response> {
  return fetch(`${base}/api/actions/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(init.cookie ? { cookie: init.cookie } : {}), ...init.headers },
    body: init.body ?? '{}',
  });
}

describe('public reads', () => {
  it('serves the status without payloads or credentials, with security headers', async () => {
    const s = sampleSnapshot();
    snapshot = async () => ({
      ...s,
      uplink: { ...s.uplink, url: 'mqtts://gw:hunter2@district.example:8883' },
      // A provider handing over whole messages must not leak them.
      recentMessages: [{ ...s.recentMessages[0]!, payload: { student: 'Ada L.', score: 17 } } as StatusSnapshot['recentMessages'][number]],
    });
    const res = await fetch(`${base}/api/status`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain('Ada L.');
    expect(text).not.toContain('hunter2');
    const body = JSON.parse(text) as StatusSnapshot;
    expect(body.recentMessages[0]).toEqual(s.recentMessages[0]);
    expect(body.devices.map((d) => d.id)).toEqual(['scanner-1', 'pen-07']);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('serves the page and its files with the CSP', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script type="module" src="app.js"></script>');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const script = await fetch(`${base}/app.js`);
    expect(script.headers.get('content-type')).toContain('javascript');
  });

  it('reports health: 200 ok, 200 degraded, 503 down', async () => {
    let res = await fetch(`${base}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', checks: { uplink: { ok: true } } });

    const s = sampleSnapshot();
    snapshot = async () => ({ ...s, uplink: { ...s.uplink, state: 'disconnected' } });
    res = await fetch(`${base}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'degraded', checks: { uplink: { ok: false } } });

    snapshot = async () => ({ ...s, outbox: { ...s.outbox, pressure: 'full' } });
    res = await fetch(`${base}/api/health`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'down' });
  });

  it('answers 503 when the status cannot be read', async () => {
    snapshot = async () => {
      throw new Error('uplink module not ready');
    };
    const health = await fetch(`${base}/api/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'down', checks: { snapshot: { ok: false, detail: 'status unavailable: uplink module not ready' } } });
    const status = await fetch(`${base}/api/status`);
    expect(status.status).toBe(503);
    expect(await status.json()).toEqual({ error: 'status unavailable: uplink module not ready' });
  });
});

describe('login and session', () => {
  it('refuses a wrong or missing password', async () => {
    const wrong = await login('guess');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect((await login('')).status).toBe(400);
  });

  it('sets a strict, HttpOnly session cookie; logout ends the session', async () => {
    const res = await login();
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^gw_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    const token = cookie.split(';')[0]!;
    const session = (await (await fetch(`${base}/api/session`, { headers: { cookie: token } })).json()) as Record<string, unknown>;
    expect(session).toMatchObject({ authenticated: true, actions: ['restart', 'device', 'explode'] });

    const out = await fetch(`${base}/api/logout`, { method: 'POST', headers: { cookie: token } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect(await (await fetch(`${base}/api/session`, { headers: { cookie: token } })).json()).toMatchObject({ authenticated: false });
    expect((await act('restart', { cookie: token })).status).toBe(401);
  });
});

describe('actions', () => {
  it('require a session', async () => {
    expect((await act('restart')).status).toBe(401);
    expect((await act('restart', { cookie: 'gw_session=forged' })).status).toBe(401);
    expect(restart).not.toHaveBeenCalled();
  });

  it('call the named action with the body and return its result', async () => {
    const cookie = await sessionCookie();
    const res = await act('device', { cookie, body: JSON.stringify({ deviceId: 'scanner-1', action: 'scan' }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, result: { ran: { deviceId: 'scanner-1', action: 'scan' } } });
    expect(device).toHaveBeenCalledWith({ deviceId: 'scanner-1', action: 'scan' });
  });

  it('answer 404 for unknown actions, including inherited object members', async () => {
    const cookie = await sessionCookie();
    for (const name of ['reboot-the-world', 'constructor', '__proto__', 'toString']) {
      const res = await act(name, { cookie });
      expect(res.status, name).toBe(404);
    }
  });

  it('answer 400 to malformed JSON, 415 to other types, 413 to huge bodies', async () => {
    const cookie = await sessionCookie();
    const malformed = await act('restart', { cookie, body: '{"deviceId": ' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: 'malformed JSON body' });
    expect((await act('restart', { cookie, headers: { 'content-type': 'text/plain' } })).status).toBe(415);
    const huge = JSON.stringify({ note: 'x'.repeat(70 * 1024) });
    expect((await act('restart', { cookie, body: huge })).status).toBe(413);
    expect(restart).not.toHaveBeenCalled();
  });

  it('answer 500 with the reason when the action throws, and keep serving', async () => {
    const cookie = await sessionCookie();
    const res = await act('explode', { cookie });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'action "explode" failed: scanner busy' });
    expect((await fetch(`${base}/api/status`)).status).toBe(200);
  });

  it('refuse cross-origin requests, accept same-origin ones', async () => {
    const cookie = await sessionCookie();
    const host = new URL(base).host;
    expect((await act('restart', { cookie, headers: { origin: 'http://evil.example' } })).status).toBe(403);
    expect((await act('restart', { cookie, headers: { origin: 'null' } })).status).toBe(403);
    expect((await act('restart', { cookie, headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
    expect(restart).not.toHaveBeenCalled();
    const ok = await act('restart', { cookie, headers: { origin: `http://${host}`, 'sec-fetch-site': 'same-origin' } });
    expect(ok.status).toBe(200);
    expect(restart).toHaveBeenCalledOnce();
  });
});

describe('brute-force guard', () => {
  it('locks an address out after repeated failures, even for the right password', async () => {
    const guarded = createWebServer({
      host: '127.0.0.1',
      port: 0,
      logger: silentLogger(),
      adminPasswordHash: hash,
      status: async () => sampleSnapshot(),
      actions: {},
      loginGuard: { maxFailures: 2, lockMs: 30_000, maxLockMs: 60_000 },
    });
    const { port } = await guarded.listen();
    try {
      const attempt = (password: string) =>
        fetch(`http://127.0.0.1:${port}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password }) });
      expect((await attempt('guess 1')).status).toBe(401);
      expect((await attempt('guess 2')).status).toBe(401);
      const locked = await attempt(PASSWORD);
      expect(locked.status).toBe(429);
      expect(locked.headers.get('retry-after')).toBe('30');
    } finally {
      await guarded.close();
    }
  });
});

describe('lifecycle', () => {
  it('closes even with a WebSocket open (the editor, the MQTT bus share the server)', async () => {
    const other = createWebServer({ host: '127.0.0.1', port: 0, logger: silentLogger(), adminPasswordHash: hash, status: async () => sampleSnapshot(), actions: {} });
    const wss = new WebSocketServer({ server: other.server, path: '/ws' });
    const { port } = await other.listen();
    const client = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    await new Promise((resolve, reject) => client.once('open', resolve).once('error', reject));
    const closedByServer = new Promise((resolve) => client.once('close', resolve));
    await other.close();
    await closedByServer;
    wss.close();
  });

  it('refuses to listen on a port in use', async () => {
    const clash = createWebServer({
      host: '127.0.0.1',
      port: Number(new URL(base).port),
      logger: silentLogger(),
      adminPasswordHash: hash,
      status: async () => sampleSnapshot(),
      actions: {},
    });
    await expect(clash.listen()).rejects.toThrow(/EADDRINUSE/);
  });
});
