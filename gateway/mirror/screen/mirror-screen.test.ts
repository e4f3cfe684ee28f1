import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate as yieldToIo } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { ContractValidator } from '../../contract/validator.js';
import type { MirrorLive } from '../../contract/types.generated.js';
import { silentLogger } from '../../log/logger.js';
import { MirrorScreen, UNKNOWN_STATION, type MirrorScreenOptions } from './mirror-screen.js';
import { liveMessage } from './test-support.js';
import type { ScreenFrame } from './wire.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(options: Partial<MirrorScreenOptions> = {}): Promise<{ screen: MirrorScreen; server: http.Server; port: number }> {
  const server = http.createServer((_req, res) => res.end('plain http'));
  const screen = new MirrorScreen({ stations: ['camera-1', 'camera-2'], logger: silentLogger(), ...options });
  screen.attach(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  cleanups.push(() => server.closeAllConnections());
  cleanups.push(() => screen.close());
  return { screen, server, port: (server.address() as AddressInfo).port };
}

interface Client {
  ws: WebSocket;
  frames: ScreenFrame[];
  lives(): MirrorLive[];
  closed: Promise<{ code: number; reason: string }>;
}

async function connect(port: number, query = '', headers: Record<string, string> = {}): Promise<Client> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/mirror/live${query}`, { headers });
  const frames: ScreenFrame[] = [];
  ws.on('message', (data) => frames.push(JSON.parse(String(data)) as ScreenFrame));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  cleanups.push(() => ws.terminate());
  const lives = () => frames.flatMap((f) => (f.type === 'live' ? [f.live] : []));
  return { ws, frames, lives, closed };
}

describe('MirrorScreen', () => {
  it('pushes contract-valid messages, and a (re)connecting screen gets the current state at once', async () => {
    const { screen, port } = await start();
    const message = liveMessage();
    new ContractValidator().assert('mirror-live/1', message);
    screen.push(message);

    const late = await connect(port, '?station=camera-1');
    await expect.poll(() => late.frames.length).toBe(2);
    expect(late.frames[0]).toEqual({ type: 'hello', station: 'camera-1', stations: ['camera-1', 'camera-2'] });
    expect(late.lives()).toEqual([message]);

    screen.push(liveMessage({ reps: 4 }));
    await expect.poll(() => late.lives().map((m) => m.reps)).toEqual([3, 4]);
    expect(screen.status()).toEqual([
      { station: 'camera-1', screens: 1, lastAt: message.at, skipped: 0 },
      { station: 'camera-2', screens: 0, lastAt: null, skipped: 0 },
    ]);
  });

  it('sends each station only its own messages; no query means the first station', async () => {
    const { screen, port } = await start();
    const first = await connect(port);
    const second = await connect(port, '?station=camera-2');
    screen.push(liveMessage({ station: 'camera-2', reps: 8 }));
    screen.push(liveMessage({ station: 'camera-1', reps: 1 }));
    await expect.poll(() => first.lives().length).toBe(1);
    await expect.poll(() => second.lives().length).toBe(1);
    expect(first.frames[0]).toMatchObject({ type: 'hello', station: 'camera-1' });
    expect(first.lives()[0]?.reps).toBe(1);
    expect(second.lives()[0]?.reps).toBe(8);
  });

  it('names the stations and closes for an unknown or malformed station id', async () => {
    const { port } = await start();
    for (const query of ['?station=camera-9', '?station=..%2Fetc', '?station=']) {
      const client = await connect(port, query);
      expect(await client.closed).toEqual({ code: UNKNOWN_STATION, reason: 'unknown station' });
      expect(client.frames).toEqual([{ type: 'hello', station: null, stations: ['camera-1', 'camera-2'] }]);
    }
  });

  it('sends only the fields of mirror-live, whatever the pipeline hands over', async () => {
    const { screen, port } = await start();
    const client = await connect(port);
    const leaky = { ...liveMessage(), frameJpeg: 'AAAA', student: { id: 's-07', name: 'Mia Chen', birthday: '2015-04-01' } };
    screen.push(leaky);
    await expect.poll(() => client.lives().length).toBe(1);
    expect(client.lives()[0]).toEqual(liveMessage());
  });

  it('a screen that does not read skips frames instead of queueing them, then gets the newest', async () => {
    const { screen, port } = await start();
    const slow = await connect(port);
    await expect.poll(() => slow.frames.length).toBe(1);
    slow.ws.pause();
    // ~40 KB a message so the kernel's socket buffers fill after a few hundred.
    const crowd = Array.from({ length: 500 }, (_, i) => ({ studentId: `s-${i}`, name: `Student number ${i}`, at: '2025-11-24T08:00:00.000Z', reps: i }));
    const pushed = 1500;
    for (let i = 1; i <= pushed; i++) {
      screen.push(liveMessage({ reps: i, checkinsToday: crowd }));
      if (i % 50 === 0) await yieldToIo();
    }
    const skipped = screen.status()[0]?.skipped ?? 0;
    expect(skipped).toBeGreaterThan(pushed / 2);
    slow.ws.resume();
    await expect.poll(() => slow.lives().at(-1)?.reps, { timeout: 10_000 }).toBe(pushed);
    // What was not skipped, plus the newest once it had drained.
    expect(slow.lives().length).toBeLessThanOrEqual(pushed - skipped + 1);
    expect(slow.lives().length).toBeLessThan(pushed / 2);
  });

  it('closes a screen that sends anything', async () => {
    const { screen, port } = await start();
    const client = await connect(port);
    client.ws.send('{"action":"reset"}');
    expect((await client.closed).code).toBe(1008);
    await expect.poll(() => screen.status()[0]?.screens).toBe(0);
  });

  it('refuses a page of another origin, and more screens than allowed', async () => {
    const { port } = await start({ maxScreens: 1 });
    await expect(connect(port, '', { Origin: 'http://evil.example' })).rejects.toThrow(/403/);
    await connect(port, '', { Origin: `http://127.0.0.1:${port}` });
    await expect(connect(port)).rejects.toThrow(/503/);
  });

  it('leaves other upgrade paths to their own handlers', async () => {
    const { server, port } = await start();
    const other = new WebSocketServer({ noServer: true });
    cleanups.push(() => other.close());
    server.on('upgrade', (req, socket, head) => {
      if (req.url !== '/other') return;
      other.handleUpgrade(req, socket, head, (ws) => ws.send('other says hi'));
    });
    const ws = new WebSocket(`ws://127.0.0.1:${port}/other`);
    cleanups.push(() => ws.terminate());
    const data = await new Promise<string>((resolve) => ws.once('message', (raw) => resolve(String(raw))));
    expect(data).toBe('other says hi');
  });

  it('as the only upgrade handler, drops upgrades for other paths rather than leaving them hanging', async () => {
    const { port } = await start();
    const ws = new WebSocket(`ws://127.0.0.1:${port}/mqtt`);
    const error = await new Promise<Error>((resolve) => ws.once('error', resolve));
    expect(error.message).toMatch(/socket hang up/);
  });

  it('close() says goodbye to screens and stops serving the path', async () => {
    const { screen, server, port } = await start();
    const client = await connect(port);
    screen.close();
    expect((await client.closed).code).toBe(1001);
    expect(server.listenerCount('upgrade')).toBe(0);
  });
});
