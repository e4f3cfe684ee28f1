import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { ADMIN, BASE, VIEWER, WS_PATH, closed, inbox, nextMessage, refusalCode, startBus, subackCodes, type TestBus } from './test-support.js';

let t: TestBus;

/** 'open', or how the attempt failed; a hanging upgrade fails the test after 3 s rather than passing. */
function wsOutcome(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const timer = setTimeout(() => reject(new Error('upgrade left hanging')), 3000);
    const settle = (outcome: string): void => {
      clearTimeout(timer);
      ws.terminate();
      resolve(outcome);
    };
    ws.once('open', () => settle('open'));
    ws.once('error', (err) => settle(err.message));
    ws.once('close', () => settle('closed'));
  });
}

afterEach(async () => {
  await t.stop();
});

describe('listeners and authentication', () => {
  it('loopback: anonymous clients connect and pub/sub works', async () => {
    t = await startBus();
    const sub = await t.client(t.urls.loopback);
    await sub.subscribeAsync(`${BASE}/test/#`);
    const pub = await t.client(t.urls.loopback);
    const got = nextMessage(sub, `${BASE}/test/a`);
    await pub.publishAsync(`${BASE}/test/a`, 'hello', { qos: 1 });
    expect(await got).toBe('hello');
    expect(t.bus.stats()).toMatchObject({ clients: 2, published: 1, refusedConnections: 0 });
  });

  it('loopback: anonymous clients are refused when allowAnonymous is off, credentials still work', async () => {
    t = await startBus({ loopback: { host: '127.0.0.1', port: 0, allowAnonymous: false } });
    expect(await refusalCode(t.client(t.urls.loopback))).toBe(5);
    await t.client(t.urls.loopback, ADMIN);
  });

  it('LAN: no credentials, unknown user and wrong password are refused and counted; good credentials accepted', async () => {
    t = await startBus();
    expect(await refusalCode(t.client(t.urls.lan))).toBe(5);
    expect(await refusalCode(t.client(t.urls.lan, { username: 'ghost', password: 'x' }))).toBe(4);
    expect(await refusalCode(t.client(t.urls.lan, { ...ADMIN, password: 'wrong' }))).toBe(4);
    const ok = await t.client(t.urls.lan, ADMIN);
    expect(ok.connected).toBe(true);
    expect(t.bus.stats()).toMatchObject({ clients: 1, refusedConnections: 3 });
  });

  it('WebSocket: refuses clients without credentials, accepts good ones and web-session tokens', async () => {
    t = await startBus({ tokenAuth: (username, password) => (username === 'it' && password === 'session-123' ? 'viewer' : null) });
    expect(await refusalCode(t.client(t.urls.ws))).toBe(5);
    expect(await refusalCode(t.client(t.urls.ws, { ...VIEWER, password: 'wrong' }))).toBe(4);
    const viewer = await t.client(t.urls.ws, VIEWER);
    const web = await t.client(t.urls.ws, { username: 'it', password: 'session-123' });
    // Both get the viewer's read access: the token's role applies, not the user's admin role.
    expect(await subackCodes(web, ['#', `${BASE}/#`])).toEqual([128, 1]);
    await viewer.subscribeAsync(`${BASE}/#`);
    const got = nextMessage(viewer, `${BASE}/test/ws`);
    await t.bus.publish(`${BASE}/test/ws`, 'over websocket');
    expect(await got).toBe('over websocket');
    expect(t.bus.stats().refusedConnections).toBe(2);
  });

  it('WebSocket: other upgrade paths are left to their owner, or closed when there is none', async () => {
    t = await startBus();
    const elsewhere = t.urls.ws.replace(WS_PATH, '/elsewhere');
    // Nobody else handles upgrades: the socket is closed at once instead of left hanging.
    expect(await wsOutcome(elsewhere)).toMatch(/hang up|closed/);
    expect(t.bus.stats().clients).toBe(0);

    // The web server's own WebSocket endpoint keeps working beside the bus.
    const other = new WebSocketServer({ noServer: true });
    t.http.on('upgrade', (req, socket, head) => {
      if (req.url === '/elsewhere') other.handleUpgrade(req, socket, head, () => {});
    });
    expect(await wsOutcome(elsewhere)).toBe('open');
    await t.client(t.urls.ws, ADMIN);
    other.close();
  });
});

describe('in-process publish and subscribe', () => {
  it('delivers with wildcards both ways, and unsubscribes', async () => {
    t = await startBus();
    const seen: string[] = [];
    const off = t.bus.subscribe(`${BASE}/device/+/event/#`, (topic, payload) => seen.push(`${topic}=${payload.toString()}`));
    const mqttClient = await t.client(t.urls.loopback);
    await mqttClient.publishAsync(`${BASE}/device/pen-1/event/stroke`, 'from-client', { qos: 1 });
    await t.bus.publish(`${BASE}/device/pen-2/event`, Buffer.from('from-gateway'));
    await t.bus.publish(`${BASE}/device/pen-2/status`, 'not matched');
    await expect.poll(() => seen).toEqual([`${BASE}/device/pen-1/event/stroke=from-client`, `${BASE}/device/pen-2/event=from-gateway`]);

    // The gateway publishes on its own topics, which no client may.
    await mqttClient.subscribeAsync(`${BASE}/health`);
    const health = nextMessage(mqttClient, `${BASE}/health`);
    await t.bus.publish(`${BASE}/health`, '{"ok":true}', { qos: 1, retain: true });
    expect(await health).toBe('{"ok":true}');

    off();
    await t.bus.publish(`${BASE}/device/pen-3/event`, 'after unsubscribe');
    await mqttClient.publishAsync(`${BASE}/device/pen-4/event`, 'after unsubscribe', { qos: 1 });
    expect(seen).toHaveLength(2);
  });

  it('a leading wildcard does not see $SYS topics; bad topics are refused', async () => {
    t = await startBus();
    const topics: string[] = [];
    t.bus.subscribe('#', (topic) => topics.push(topic));
    await t.client(t.urls.loopback); // makes aedes publish $SYS/<id>/new/clients
    await t.bus.publish('plain/topic', 'x');
    await expect.poll(() => topics).toEqual(['plain/topic']);
    await expect(t.bus.publish(`${BASE}/+/x`, 'x')).rejects.toThrow(/cannot publish/);
    expect(() => t.bus.subscribe('a/#/b', () => {})).toThrow(/invalid topic filter/);
  });
});

describe('limits and shutdown', () => {
  it('drops a connection that sends a packet over the size limit; the message is not delivered', async () => {
    t = await startBus({ maxPacketBytes: 64 * 1024 });
    const sub = await t.client(t.urls.loopback);
    await sub.subscribeAsync(`${BASE}/big/#`);
    const received = inbox(sub);
    const big = await t.client(t.urls.loopback);
    const gone = closed(big);
    big.publish(`${BASE}/big/one`, Buffer.alloc(100 * 1024));
    await gone;
    // A message within the limit on the same topic, after the drop, does arrive: proof the big one would have come first.
    await t.bus.publish(`${BASE}/big/small`, 'small');
    await expect.poll(() => received.map((m) => m.topic)).toEqual([`${BASE}/big/small`]);

    // Over WebSocket too (there ws's frame limit is the first to trip).
    const wsBig = await t.client(t.urls.ws, ADMIN);
    const wsGone = closed(wsBig);
    wsBig.publish(`${BASE}/big/two`, Buffer.alloc(100 * 1024));
    await wsGone;
    await t.bus.publish(`${BASE}/big/small2`, 'small');
    await expect.poll(() => received.map((m) => m.topic)).toEqual([`${BASE}/big/small`, `${BASE}/big/small2`]);
  });

  it('close() disconnects clients, frees the ports and is idempotent', async () => {
    t = await startBus();
    const { loopback, lan } = t.bus.addresses();
    const client = await t.client(t.urls.lan, ADMIN);
    const gone = closed(client);
    await Promise.all([t.bus.close(), t.bus.close()]);
    await gone;
    expect(t.http.listenerCount('upgrade')).toBe(0);
    for (const port of [loopback.port, lan!.port]) {
      const probe = createServer();
      await new Promise<void>((resolve, reject) => {
        probe.once('error', reject);
        probe.listen(port, '127.0.0.1', resolve);
      });
      await new Promise<void>((resolve) => probe.close(() => resolve()));
    }
    await expect(t.bus.publish(`${BASE}/x`, 'x')).rejects.toThrow(/closed/);
  });
});
