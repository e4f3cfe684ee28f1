import { readFileSync } from 'node:fs';
import type { IClientOptions } from 'mqtt';
import { AVAILABILITY_TOPIC } from './availability.js';
import type { UplinkOptions } from './types.js';

export type ProtocolVersion = 4 | 5;

/**
 * mqtt.js options for one connection attempt. The uplink owns reconnects, so mqtt.js must not:
 * with reconnectPeriod > 0 the same client reconnects by itself and, on CONNACK, re-sends
 * everything left in its in-memory outgoingStore (MqttClient._onConnect → startStreamProcess)
 * behind the outbox's back, and with its own packet ids and order. With reconnectPeriod 0 and
 * a fresh client per attempt that store starts empty every time, so what goes on the wire is
 * exactly what the replay reads from the outbox, in lsn order. Note that when the socket
 * just closes, mqtt.js never calls back the un-acked QoS 1 publishes (only `_flushVolatile`
 * runs, and they are not volatile); only a forced cleanup (keepalive timeout, end(true)) fails
 * them with "Connection closed". So the replay ends on 'close', not on callbacks.
 */
export function clientOptions(opts: UplinkOptions, version: ProtocolVersion, will: Buffer): IClientOptions {
  const tls = opts.tls;
  // Read per attempt: a renewed certificate is picked up on the next reconnect. A missing
  // file throws here and counts as a failed attempt (logged, retried), never a crash.
  const files = tls
    ? {
        ...(tls.caFile ? { ca: readFileSync(tls.caFile) } : {}),
        ...(tls.certFile ? { cert: readFileSync(tls.certFile) } : {}),
        ...(tls.keyFile ? { key: readFileSync(tls.keyFile) } : {}),
        rejectUnauthorized: tls.rejectUnauthorized ?? true,
      }
    : {};
  return {
    ...files,
    protocolVersion: version,
    // The id is stable so the district can tell gateways apart; clean start because the
    // outbox, not a broker session, is what makes delivery survive a reconnect.
    clientId: `${opts.gatewayId}-uplink`,
    clean: true,
    keepalive: opts.keepaliveSeconds ?? 60,
    connectTimeout: (opts.connectTimeoutSeconds ?? 30) * 1000,
    reconnectPeriod: 0,
    // Publishes are only issued while connected; nothing may be queued for a later connection.
    queueQoSZero: false,
    resubscribe: false,
    ...(opts.username !== undefined ? { username: opts.username } : {}),
    ...(opts.password !== undefined ? { password: opts.password } : {}),
    will: { topic: `${opts.baseTopic}/${AVAILABILITY_TOPIC}`, payload: will, qos: 1, retain: true },
  };
}

/** The URL for logs and status: the password (if the URL carries one) replaced. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(unparseable URL)';
  }
}

/** host:port for error messages. */
export function hostPort(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || (parsed.protocol === 'mqtts:' ? '8883' : '1883')}`;
  } catch {
    return url;
  }
}
