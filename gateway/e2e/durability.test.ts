import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { contractProblems } from '../test-support/contract-check.js';
import { DistrictSubscriber } from '../test-support/district-subscriber.js';
import { restartGatewayProcess, startGatewayProcess, type GatewayProcess } from '../test-support/gateway-process.js';
import { startMosquitto, type MosquittoBroker } from '../test-support/mosquitto.js';
import type { Envelope } from '../uplink/outbox/types.js';

/**
 * The uplink's promise, end to end with the real gateway process and a real mosquitto as the
 * district: every message the gateway confirmed as durable reaches the district once (after
 * dropping duplicates by id), in order and without gaps — across a broker outage and a kill -9.
 * Messages are made by asking the gateway for its status on the local bus: each response goes
 * through the outbox and appears on the local bus only once it is durable.
 */
describe('lossless uplink (real gateway, real mosquitto)', () => {
  let district: MosquittoBroker | undefined;
  let gateway: GatewayProcess | undefined;
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    await gateway?.kill('SIGKILL');
    await district?.dispose();
  });

  it('delivers every confirmed message once, in order, across a broker restart and kill -9', async () => {
    district = await startMosquitto({ persistence: true });
    gateway = await startGatewayProcess({
      settings: { district: { url: district.url, reconnect: { minSeconds: 1, maxSeconds: 2 } }, telemetry: { intervalSeconds: 5 } },
    });
    const base = gateway.baseTopic;
    const stream = `${base}/response/status`;
    const subscriber = await DistrictSubscriber.connect(district.url, `${base}/#`);
    cleanups.push(() => subscriber.close());

    const confirmed = new Set<string>();
    const local = await mqtt.connectAsync(`mqtt://127.0.0.1:${gateway.busPort}`, { protocolVersion: 4, reconnectPeriod: 200 });
    local.on('error', () => undefined);
    cleanups.push(() => local.endAsync(true));
    local.on('message', (_topic, payload) => confirmed.add((JSON.parse(payload.toString()) as Envelope).id));
    await local.subscribeAsync(stream, { qos: 1 });
    let subscribed = true;
    local.on('close', () => (subscribed = false));
    local.on('connect', () => void local.subscribeAsync(stream, { qos: 1 }).then(() => (subscribed = true), () => undefined));

    let sent = 0;
    const ask = async (count: number) => {
      for (let i = 0; i < count; i++) {
        if (local.connected) local.publish(`${base}/request/status`, JSON.stringify({ transaction: ++sent }));
        await new Promise((r) => setTimeout(r, 3));
      }
    };
    const confirmedAtLeast = async (n: number) => {
      const deadline = Date.now() + 30_000;
      while (confirmed.size < n) {
        if (Date.now() > deadline) throw new Error(`only ${confirmed.size} of ${n} confirmed; gateway said:\n${gateway?.output().slice(-3000)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };

    await ask(300);
    await confirmedAtLeast(250);

    // The district broker goes away mid-stream and comes back on the same port.
    await district.stop('SIGTERM');
    await ask(300);
    await district.restart();
    await confirmedAtLeast(450);

    // The gateway dies without a chance to flush anything, mid-stream.
    const producing = ask(400);
    await confirmedAtLeast(confirmed.size + 150);
    await gateway.kill('SIGKILL');
    await producing;
    gateway = await restartGatewayProcess(gateway);
    await subscriber.waitFor(() => subscribed, 10_000, 'the local client back on the restarted gateway');
    const beforeRestartTraffic = confirmed.size;
    await ask(200);
    await confirmedAtLeast(beforeRestartTraffic + 150);

    await subscriber.waitFor(
      () => {
        const ids = new Set(subscriber.envelopes(stream).map((e) => e.id));
        return [...confirmed].every((id) => ids.has(id));
      },
      30_000,
      'every confirmed response at the district',
    );

    const envelopes = subscriber.envelopes(stream);
    const seqs = envelopes.map((e) => e.seq);
    // In order and without gaps: the first delivery of each id comes in seq order 1, 2, 3 …
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(envelopes.length).toBeGreaterThanOrEqual(confirmed.size);
    expect(contractProblems(base, subscriber.received)).toEqual([]);
    // The crash happened: the district saw the Last Will between two onlines.
    const states = subscriber.json<{ state: string }>(`${base}/availability`).map((a) => a.state);
    expect(states).toContain('offline');
    expect(states.at(-1)).toBe('online');
  }, 180_000);
});
