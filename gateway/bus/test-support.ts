/**
 * Shared by the bus's integration tests: a real bus on ephemeral ports (other engineers run
 * tests at the same time) and small promise wrappers around mqtt.js clients.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import bcrypt from 'bcryptjs';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import { silentLogger } from '../log/logger.js';
import type { BusUser } from './auth.js';
import { createLocalBus, type LocalBus, type LocalBusOptions } from './local-bus.js';

export const BASE = 'classroom/demo-school/demo-classroom/gateway-1';
export const WS_PATH = '/mqtt';

// Cost 4 keeps tests fast; the broker does not care about the cost.
export const USERS: BusUser[] = [
  { username: 'it', passwordHash: bcrypt.hashSync('it-secret', 4), role: 'admin' },
  { username: 'pen', passwordHash: bcrypt.hashSync('pen-secret', 4), role: 'device', deviceIds: ['pen-1'] },
  { username: 'wall', passwordHash: bcrypt.hashSync('wall-secret', 4), role: 'viewer' },
];
export const ADMIN = { username: 'it', password: 'it-secret' };
export const DEVICE = { username: 'pen', password: 'pen-secret' };
export const VIEWER = { username: 'wall', password: 'wall-secret' };

export interface TestBus {
  bus: LocalBus;
  http: Server;
  urls: { loopback: string; lan: string; ws: string };
  /** Connects and resolves on CONNACK 0; rejects with mqtt.js's error (its `code` is the CONNACK code). */
  client(url: string, opts?: IClientOptions): Promise<MqttClient>;
  stop(): Promise<void>;
}

export async function startBus(overrides: Partial<LocalBusOptions> = {}): Promise<TestBus> {
  const http = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const bus = await createLocalBus({
    baseTopic: BASE,
    loopback: { host: '127.0.0.1', port: 0, allowAnonymous: true },
    lan: { host: '127.0.0.1', port: 0 },
    websocket: { server: http, path: WS_PATH },
    users: USERS,
    logger: silentLogger(),
    ...overrides,
  });
  const { loopback, lan } = bus.addresses();
  const urls = {
    loopback: `mqtt://127.0.0.1:${loopback.port}`,
    lan: `mqtt://127.0.0.1:${lan?.port}`,
    ws: `ws://127.0.0.1:${(http.address() as AddressInfo).port}${WS_PATH}`,
  };
  const clients: MqttClient[] = [];
  return {
    bus,
    http,
    urls,
    client(url, opts = {}) {
      const client = connect(url, { reconnectPeriod: 0, connectTimeout: 5000, protocolVersion: 4, ...opts });
      clients.push(client);
      return new Promise((resolve, reject) => {
        client.once('connect', () => resolve(client));
        client.once('error', reject);
        client.once('close', () => reject(new Error('closed before CONNACK')));
      });
    },
    async stop() {
      await Promise.all(clients.map((c) => c.endAsync(true)));
      await bus.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** The CONNACK code a refused connection got. */
export async function refusalCode(attempt: Promise<MqttClient>): Promise<number | undefined> {
  try {
    await attempt;
  } catch (err) {
    return (err as { code?: number }).code;
  }
  throw new Error('connection was accepted');
}

/** The per-filter SUBACK codes (0x80 = refused), whether or not mqtt.js treats them as an error. */
export function subackCodes(client: MqttClient, filters: string[]): Promise<number[]> {
  return new Promise((resolve, reject) => {
    client.subscribe(filters, { qos: 1 }, (err, _granted, packet) => {
      if (packet && 'granted' in packet) resolve(packet.granted as number[]);
      else reject(err ?? new Error('no SUBACK'));
    });
  });
}

/** Collects every message a client receives, for "this never arrived" assertions. */
export function inbox(client: MqttClient): Array<{ topic: string; payload: string }> {
  const received: Array<{ topic: string; payload: string }> = [];
  client.on('message', (topic, payload) => received.push({ topic, payload: payload.toString() }));
  return received;
}

export function nextMessage(client: MqttClient, topic: string): Promise<string> {
  return new Promise((resolve) => {
    const onMessage = (t: string, payload: Buffer): void => {
      if (t !== topic) return;
      client.off('message', onMessage);
      resolve(payload.toString());
    };
    client.on('message', onMessage);
  });
}

/** Resolves when the broker has closed the client's connection; fails fast (not at the test timeout) if it does not. */
export function closed(client: MqttClient, ms = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!client.connected) return resolve();
    const timer = setTimeout(() => reject(new Error(`connection still open after ${ms} ms`)), ms);
    client.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
