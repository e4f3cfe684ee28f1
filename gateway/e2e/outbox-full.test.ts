import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import type { Alarm } from '../contract/types.generated.js';
import { freePort } from '../test-support/free-port.js';
import { startGatewayProcess, type GatewayProcess } from '../test-support/gateway-process.js';
import { startMosquitto, type MosquittoBroker } from '../test-support/mosquitto.js';
import type { Envelope } from '../uplink/outbox/types.js';

/**
 * The district is down and the outbox (1 MB here) fills: the gateway raises `outbox-high`, keeps
 * what it has, and when the district comes back drains and clears the alarm.
 */
describe('outbox pressure (real gateway, district down then up)', () => {
  let gateway: GatewayProcess | undefined;
  let district: MosquittoBroker | undefined;
  afterAll(async () => {
    await gateway?.kill('SIGKILL');
    await district?.dispose();
  });

  it('raises the alarm when full, keeps the queue, drains and clears it when the district returns', async () => {
    const districtPort = await freePort();
    gateway = await startGatewayProcess({
      settings: { district: { url: `mqtt://127.0.0.1:${districtPort}`, reconnect: { minSeconds: 1, maxSeconds: 1 } }, outbox: { maxMegabytes: 1 } },
    });
    const base = gateway.baseTopic;
    const local = await mqtt.connectAsync(`mqtt://127.0.0.1:${gateway.busPort}`, { protocolVersion: 4 });
    const alarms: Alarm[] = [];
    local.on('message', (topic, payload) => {
      if (topic === `${base}/alarm`) alarms.push((JSON.parse(payload.toString()) as Envelope).data as Alarm);
    });
    await local.subscribeAsync(`${base}/alarm`, { qos: 1 });

    const status = async () => (await (await fetch(`http://127.0.0.1:${gateway!.webPort}/api/status`)).json()) as { outbox: { depthMessages: number; pressure: string }; alarms: { code: string }[] };
    for (let i = 0; i < 900 && (await status()).outbox.pressure === 'normal'; i++) {
      for (let j = 0; j < 20; j++) local.publish(`${base}/request/status`, '{}');
      await new Promise((r) => setTimeout(r, 20));
    }
    const full = await status();
    expect(full.outbox.pressure).not.toBe('normal');
    await expect.poll(() => alarms.some((a) => a.code === 'outbox-high' && a.active), { timeout: 5000 }).toBe(true);
    expect(full.alarms.map((a) => a.code)).toContain('outbox-high');
    const queued = full.outbox.depthMessages;
    // ~1 MB of status responses (each carries the recent-messages list, ~10 KB) waits in the outbox.
    expect(queued).toBeGreaterThan(20);

    district = await startMosquitto({ port: districtPort });
    await expect.poll(async () => (await status()).outbox.depthMessages, { timeout: 30_000, interval: 250 }).toBe(0);
    await expect.poll(() => alarms.some((a) => a.code === 'outbox-high' && !a.active), { timeout: 5000 }).toBe(true);
    await local.endAsync(true);
  }, 120_000);
});
