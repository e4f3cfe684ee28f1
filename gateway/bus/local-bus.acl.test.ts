/**
 * The ACL end to end, through real clients. What aedes 1.2 really does with a refused PUBLISH
 * (any QoS): no PUBACK, nothing delivered, and it closes the publisher's connection
 * [MQTT-3.3.5-2]. Each "never arrives" check waits for that close, then sends a sentinel on
 * the same path: had the refused message been delivered, it would have come before the sentinel.
 */
import type { MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, BASE, DEVICE, VIEWER, closed, inbox, nextMessage, startBus, subackCodes, type TestBus } from './test-support.js';

let t: TestBus;
let admin: MqttClient;
let adminInbox: Array<{ topic: string; payload: string }>;

beforeEach(async () => {
  t = await startBus();
  admin = await t.client(t.urls.lan, ADMIN);
  await admin.subscribeAsync('#', { qos: 1 });
  adminInbox = inbox(admin);
});
afterEach(async () => {
  await t.stop();
});

/** Publishes from `client`, expects the broker to refuse it by closing the connection, and the message never to reach the admin. */
async function expectRefusedPublish(client: MqttClient, topic: string, qos: 0 | 1): Promise<void> {
  const gone = closed(client);
  client.publish(topic, 'refused', { qos });
  await gone;
  const sentinel = `${BASE}/sentinel/${Math.random()}`;
  const arrived = nextMessage(admin, sentinel);
  await t.bus.publish(sentinel, 'sentinel');
  await arrived;
  expect(adminInbox.filter((m) => m.payload === 'refused')).toEqual([]);
}

describe('device', () => {
  it('publishes under its own device topic, and an admin receives it', async () => {
    const pen = await t.client(t.urls.lan, DEVICE);
    const got = nextMessage(admin, `${BASE}/device/pen-1/event`);
    await pen.publishAsync(`${BASE}/device/pen-1/event`, 'stroke', { qos: 1 });
    expect(await got).toBe('stroke');
    expect(t.bus.stats().refusedPublishes).toBe(0);
  });

  it("cannot publish on another device's topic (QoS 0 or 1): never delivered, counted, disconnected", async () => {
    await expectRefusedPublish(await t.client(t.urls.lan, DEVICE), `${BASE}/device/pen-2/event`, 0);
    await expectRefusedPublish(await t.client(t.urls.lan, DEVICE), `${BASE}/device/pen-2/event`, 1);
    expect(t.bus.stats().refusedPublishes).toBe(2);
  });

  it('cannot publish on the gateway-only topics', async () => {
    await expectRefusedPublish(await t.client(t.urls.lan, DEVICE), `${BASE}/health`, 1);
    await expectRefusedPublish(await t.client(t.urls.lan, DEVICE), `${BASE}/response/42`, 0);
    expect(t.bus.stats().refusedPublishes).toBe(2);
  });

  it('subscribes only within its own device subtree', async () => {
    const pen = await t.client(t.urls.lan, DEVICE);
    expect(await subackCodes(pen, [`${BASE}/device/pen-1/command/#`, '#', `${BASE}/+/pen-1/#`, `${BASE}/device/pen-2/#`])).toEqual([1, 128, 128, 128]);
    expect(t.bus.stats().refusedSubscribes).toBe(3);
    // Refusing a filter does not disconnect: the granted one still delivers.
    const got = nextMessage(pen, `${BASE}/device/pen-1/command/calibrate`);
    await admin.publishAsync(`${BASE}/device/pen-1/command/calibrate`, 'now', { qos: 1 });
    expect(await got).toBe('now');
  });
});

describe('viewer', () => {
  it('subscribing to # is refused, to <base>/# granted', async () => {
    const wall = await t.client(t.urls.lan, VIEWER);
    expect(await subackCodes(wall, ['#'])).toEqual([128]);
    expect(await subackCodes(wall, [`${BASE}/#`])).toEqual([1]);
    expect(await subackCodes(wall, ['$SYS/#'])).toEqual([128]);
    expect(t.bus.stats().refusedSubscribes).toBe(2);
    const got = nextMessage(wall, `${BASE}/device/pen-1/event`);
    await admin.publishAsync(`${BASE}/device/pen-1/event`, 'visible', { qos: 1 });
    expect(await got).toBe('visible');
  });

  it('cannot publish, not even a request', async () => {
    await expectRefusedPublish(await t.client(t.urls.lan, VIEWER), `${BASE}/request/scan`, 1);
    expect(t.bus.stats().refusedPublishes).toBe(1);
  });
});

describe('admin and local', () => {
  it('may publish requests, but not on the gateway-only topics', async () => {
    const local = await t.client(t.urls.loopback);
    const got = nextMessage(admin, `${BASE}/request/scan`);
    await local.publishAsync(`${BASE}/request/scan`, '{}', { qos: 1 });
    expect(await got).toBe('{}');
    await expectRefusedPublish(local, `${BASE}/availability`, 1);
    const admin2 = await t.client(t.urls.lan, { ...ADMIN, clientId: 'it-second' });
    await expectRefusedPublish(admin2, `${BASE}/health`, 0);
    expect(t.bus.stats().refusedPublishes).toBe(2);
  });
});
