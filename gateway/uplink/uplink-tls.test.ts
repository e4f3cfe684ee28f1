import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DistrictSubscriber } from '../test-support/district-subscriber.js';
import { MemoryOutbox, testUplink } from '../test-support/memory-outbox.js';
import { startMosquitto, writePasswordFile, type MosquittoBroker } from '../test-support/mosquitto.js';
import { makeTestCertificates, type TestCertificates } from '../test-support/tls-certs.js';
import type { UplinkOptions } from './types.js';
import { Uplink } from './uplink.js';

let certs: TestCertificates;
let strangerCerts: TestCertificates;
let tlsBroker: MosquittoBroker;
let mtlsBroker: MosquittoBroker;
let passwordBroker: MosquittoBroker;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  [certs, strangerCerts] = await Promise.all([makeTestCertificates('gw-tls-uplink'), makeTestCertificates('stranger')]);
  const serverFiles = { caFile: certs.caFile, certFile: certs.serverCertFile, keyFile: certs.serverKeyFile };
  const passwordFile = join(certs.dir, 'passwords');
  await writePasswordFile(passwordFile, { 'gw-auth': 's3cret' });
  [tlsBroker, mtlsBroker, passwordBroker] = await Promise.all([
    startMosquitto({ tls: serverFiles }),
    startMosquitto({ tls: { ...serverFiles, requireClientCert: true } }),
    startMosquitto({ passwordFile }),
  ]);
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  await Promise.all([tlsBroker?.dispose(), mtlsBroker?.dispose(), passwordBroker?.dispose()]);
  await Promise.all([certs, strangerCerts].map((c) => c && rm(c.dir, { recursive: true, force: true })));
});

function uplinkFor(url: string, extra: Partial<UplinkOptions> = {}) {
  const gatewayId = `gw-${randomUUID().slice(0, 8)}`;
  const outbox = new MemoryOutbox();
  const uplink = testUplink(url, gatewayId, `classroom/s1/c1/${gatewayId}`, outbox, extra);
  cleanups.push(() => uplink.stop({ flushTimeoutMs: 500 }));
  return { uplink, outbox, base: `classroom/s1/c1/${gatewayId}` };
}

/** A pino logger whose JSON lines the test can read. */
function capturingLogger() {
  const lines: { level: string; msg: string }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as { level: string; msg: string });
      done();
    },
  });
  return { logger: pino({ level: 'info', formatters: { level: (label) => ({ level: label }) } }, stream), lines };
}

/** The first problem the uplink reports; it must keep retrying (backoff), not crash or give up. */
async function firstError(uplink: Uplink): Promise<string> {
  const error = await new Promise<string>((resolve) =>
    uplink.on('state', (s) => {
      if (s.state === 'backoff' && s.lastError) resolve(s.lastError);
    }),
  );
  await new Promise<void>((resolve) => uplink.on('state', (s) => s.state === 'connecting' && resolve()));
  return error;
}

async function deliversOverTls(broker: MosquittoBroker, extra: Partial<UplinkOptions>): Promise<void> {
  const { uplink, outbox, base } = uplinkFor(broker.url, extra);
  const district = await DistrictSubscriber.connect(broker.url, `${base}/health`, {
    ca: readFileSync(certs.caFile),
    cert: readFileSync(certs.clientCertFile),
    key: readFileSync(certs.clientKeyFile),
  });
  cleanups.push(() => district.close());
  outbox.append('health', { ok: true });
  uplink.start();
  await district.waitFor(() => outbox.depth === 0 && district.envelopes(`${base}/health`).length === 1, 10_000, 'the record over TLS');
  expect(uplink.status()).toMatchObject({ state: 'connected', lastError: null });
}

describe('uplink over TLS', () => {
  it('verifies the broker certificate against the configured CA and delivers', async () => {
    expect(tlsBroker.url).toMatch(/^mqtts:\/\/localhost:/);
    await deliversOverTls(tlsBroker, { tls: { caFile: certs.caFile } });
  });

  it('refuses a broker certificate from another CA with a clear error, and keeps retrying', async () => {
    const { logger, lines } = capturingLogger();
    const { uplink } = uplinkFor(tlsBroker.url, { tls: { caFile: strangerCerts.caFile }, logger });
    uplink.start();
    expect(await firstError(uplink)).toMatch(/TLS verify failed for localhost:\d+ \(.*(SELF_SIGNED|UNABLE_TO)/);
    expect(lines.find((l) => l.level === 'error')?.msg).toMatch(/^uplink connection failed: TLS verify failed for localhost:\d+/);
  });

  it('authenticates with a client certificate when the broker requires one', async () => {
    await deliversOverTls(mtlsBroker, { tls: { caFile: certs.caFile, certFile: certs.clientCertFile, keyFile: certs.clientKeyFile } });
  });

  it('reports a broker that requires a client certificate the uplink does not have', async () => {
    const { uplink } = uplinkFor(mtlsBroker.url, { tls: { caFile: certs.caFile } });
    uplink.start();
    expect(await firstError(uplink)).toMatch(/TLS handshake with localhost:\d+ failed \(\w+\): the broker requires a client certificate|reset|closed before CONNACK/);
  });

  it('reports a TLS file that cannot be read', async () => {
    const { uplink } = uplinkFor(tlsBroker.url, { tls: { caFile: join(certs.dir, 'missing.crt') } });
    uplink.start();
    expect(await firstError(uplink)).toMatch(/cannot read .*missing\.crt \(ENOENT\)/);
  });
});

describe('uplink connection errors', () => {
  it('logs in with user name and password, and names bad credentials as such', async () => {
    const good = uplinkFor(passwordBroker.url, { username: 'gw-auth', password: 's3cret' });
    good.uplink.start();
    await new Promise<void>((resolve) => good.uplink.on('state', (s) => s.state === 'connected' && resolve()));

    const bad = uplinkFor(passwordBroker.url.replace('mqtt://', 'mqtt://gw-auth:wrong@'));
    bad.uplink.start();
    expect(await firstError(bad.uplink)).toMatch(/not authorised by 127\.0\.0\.1:\d+/);
    expect(bad.uplink.status().url).not.toContain('wrong');
  });

  it('names a DNS failure and a refused connection', async () => {
    const dns = uplinkFor('mqtt://no-such-broker.invalid:1883');
    dns.uplink.start();
    expect(await firstError(dns.uplink)).toMatch(/DNS lookup failed for the broker no-such-broker\.invalid:1883/);

    const closed = await startMosquitto();
    const port = closed.port;
    await closed.dispose();
    const refused = uplinkFor(`mqtt://127.0.0.1:${port}`);
    refused.uplink.start();
    expect(await firstError(refused.uplink)).toMatch(/connection refused by 127\.0\.0\.1:\d+/);
  });
});
