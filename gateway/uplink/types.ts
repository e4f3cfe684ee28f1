import type { Logger } from '../log/logger.js';
import type { OutboxRecord } from './outbox/types.js';

/**
 * What the uplink needs from the outbox, and no more: the real Outbox satisfies it
 * structurally, and tests can stand in a few lines of memory.
 */
export interface OutboxSource {
  /** Un-acked records with lsn ≥ fromLsn, in lsn order, at most `max`. */
  read(fromLsn: number, max: number): Promise<OutboxRecord[]>;
  /** The oldest un-acked lsn, or null when everything was acked. */
  firstUnackedLsn(): number | null;
  /** The district broker has the record (out-of-order acks are fine). */
  ack(lsn: number): void;
  /** 'appended' fires when new records are durable. */
  on(event: 'appended', listener: () => void): unknown;
  off(event: 'appended', listener: () => void): unknown;
}

export type ProtocolChoice = 'auto' | '5' | '3.1.1';
export type UplinkState = 'connecting' | 'connected' | 'backoff' | 'stopped';

export interface UplinkTlsOptions {
  /** PEM file of the CA(s) that sign the broker certificate; the system CAs when omitted. */
  caFile?: string;
  /** Client certificate and key (PEM files), for brokers that authenticate gateways by certificate. */
  certFile?: string;
  keyFile?: string;
  /** Default true. False accepts any broker certificate: for bench setups only. */
  rejectUnauthorized?: boolean;
}

export interface UplinkOptions {
  /** mqtt://host:port or mqtts://host:port. */
  url: string;
  gatewayId: string;
  /** `<prefix>/<school>/<classroom>/<gateway>`, without a trailing slash. */
  baseTopic: string;
  /** Gateway software version, reported in availability messages. */
  version: string;
  outbox: OutboxSource;
  logger: Logger;
  protocol?: ProtocolChoice;
  username?: string;
  password?: string;
  tls?: UplinkTlsOptions;
  /** Default 60. */
  keepaliveSeconds?: number;
  /** How long to wait for TCP + TLS + CONNACK. Default 30. */
  connectTimeoutSeconds?: number;
  /** Reconnect delays: full jitter, growing from min to max. Defaults 1 and 120. */
  backoff?: { minSeconds: number; maxSeconds: number };
  /** Records published but not yet PUBACKed, at most (also capped by the broker's Receive Maximum). Default 256. */
  inflight?: number;
  /** Subscribe to `<baseTopic>/request/+` (only when the uplink talks to a real district). Default false. */
  subscribeRequests?: boolean;
  onRequest?: (op: string, payload: Buffer) => void | Promise<void>;
}

export interface UplinkStatus {
  state: UplinkState;
  /** The broker URL without credentials. */
  url: string;
  /** The protocol of the current connection, null while not connected. */
  protocol: '5' | '3.1.1' | null;
  /** ISO time the current connection was made, null while not connected. */
  connectedSince: string | null;
  /** The last connection or delivery problem, in words, null after none. */
  lastError: string | null;
  /** Records published (re-sends after a reconnect count again). */
  sent: number;
  /** Records PUBACKed and acked in the outbox. */
  acked: number;
  /** Connection attempts after the first. */
  reconnects: number;
}
