import { EventEmitter } from 'node:events';
import mqtt, { type IConnackPacket, type IDisconnectPacket, type MqttClient } from 'mqtt';
import type { Logger } from '../log/logger.js';
import { messages } from '../contract/topics.js';
import { AVAILABILITY_TOPIC, availabilityPayload } from './availability.js';
import { backoffDelayMs } from './backoff.js';
import { clientOptions, hostPort, redactUrl, type ProtocolVersion } from './connect-options.js';
import { describeConnectionError, isUnsupportedProtocol } from './errors.js';
import { Replay } from './replay.js';
import type { UplinkOptions, UplinkState, UplinkStatus } from './types.js';

/** A connection that lasted this long was healthy: the next failure starts the backoff from the minimum again. */
const STABLE_CONNECTION_MS = 10_000;
const REQUEST_PREFIX = messages.request.topic.replace('{op}', '');

/** One connection attempt and, if it succeeds, the connection it becomes. */
interface Attempt {
  client: MqttClient;
  version: ProtocolVersion;
  connectedAt: Date | null;
  replay: Replay | null;
  /** The first error of the attempt explains its end; mqtt.js often reports the same one twice. */
  error: unknown;
  problem: string | null;
}

/**
 * Delivers the outbox to the district broker: one MQTT connection at a time, reconnected by
 * us with jittered backoff, availability via a retained online/offline and the Last Will,
 * and the outbox replayed in lsn order with QoS 1 while connected.
 */
export class Uplink extends EventEmitter<{ state: [UplinkStatus] }> {
  private readonly log: Logger;
  private readonly where: string;
  private state: UplinkState = 'stopped';
  private running = false;
  private attempt: Attempt | null = null;
  /** MQTT 5 until a broker refuses it; then 3.1.1 for the rest of this process (protocol 'auto'). */
  private version: ProtocolVersion;
  private failures = 0;
  private attempts = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopping: Promise<void> | null = null;
  private lastError: string | null = null;
  private sent = 0;
  private acked = 0;

  constructor(private readonly opts: UplinkOptions) {
    super();
    if (opts.subscribeRequests && !opts.onRequest) throw new Error('uplink: subscribeRequests needs an onRequest handler');
    this.log = opts.logger.child({ component: 'uplink' });
    this.where = hostPort(opts.url);
    this.version = opts.protocol === '3.1.1' ? 4 : 5;
  }

  start(): void {
    if (this.running) return;
    if (this.stopping) throw new Error('uplink: start() while stop() is still running');
    this.running = true;
    this.connect();
  }

  /**
   * Best effort flush, then a retained `offline` and a clean DISCONNECT (so the broker drops
   * the will). Records not PUBACKed by the deadline stay in the outbox for the next start.
   * Resolves within flushTimeoutMs even when the broker is gone.
   */
  stop(options: { flushTimeoutMs?: number; reason?: string } = {}): Promise<void> {
    if (this.stopping) return this.stopping;
    if (!this.running) return Promise.resolve();
    this.running = false;
    this.stopping = this.shutdown(options).finally(() => (this.stopping = null));
    return this.stopping;
  }

  private async shutdown({ flushTimeoutMs = 5000, reason = 'shutdown' }: { flushTimeoutMs?: number; reason?: string }): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const deadline = Date.now() + flushTimeoutMs;
    // Keep a quarter of the budget (at most 1 s) for `offline` and DISCONNECT.
    const flushDeadline = deadline - Math.min(1000, flushTimeoutMs / 4);
    const attempt = this.attempt;
    if (attempt?.replay) {
      await within(attempt.replay.whenDrained(), flushDeadline);
      attempt.replay.stop();
    }
    // The connection may have died while we flushed (onClosed then cleared this.attempt).
    const live = attempt !== null && attempt === this.attempt;
    if (live && attempt.client.connected) {
      const offline = availabilityPayload('offline', new Date(), this.opts.version, reason);
      await within(publish(attempt.client, `${this.opts.baseTopic}/${AVAILABILITY_TOPIC}`, offline, true), deadline);
      // end() without force waits for every pending PUBACK; the ones still missing are given up
      // (their records stay in the outbox) so the DISCONNECT goes out now.
      for (const id of Object.keys(attempt.client.outgoing)) attempt.client.removeOutgoingMessage(Number(id));
    }
    if (live && attempt === this.attempt) {
      const closed = new Promise<void>((resolve) => attempt.client.once('close', () => resolve()));
      attempt.client.end(!attempt.client.connected);
      if (!(await within(closed, deadline))) attempt.client.stream?.destroy();
    }
    this.attempt = null;
    this.setState('stopped');
  }

  status(): UplinkStatus {
    const connectedAt = this.state === 'connected' ? (this.attempt?.connectedAt ?? null) : null;
    return {
      state: this.state,
      url: redactUrl(this.opts.url),
      protocol: connectedAt && this.attempt ? (this.attempt.version === 5 ? '5' : '3.1.1') : null,
      connectedSince: connectedAt?.toISOString() ?? null,
      lastError: this.lastError,
      sent: this.sent,
      acked: this.acked,
      reconnects: Math.max(0, this.attempts - 1),
    };
  }

  private connect(): void {
    this.timer = null;
    this.attempts++;
    this.setState('connecting');
    // The will is fixed at CONNECT, so its ts is when this connection was made (availability/1).
    const will = availabilityPayload('offline', new Date(), this.opts.version, 'connection lost');
    let client: MqttClient;
    try {
      client = mqtt.connect(this.opts.url, clientOptions(this.opts, this.version, will));
    } catch (err) {
      this.retryLater(describeConnectionError(err, this.where), false);
      return;
    }
    const attempt: Attempt = { client, version: this.version, connectedAt: null, replay: null, error: null, problem: null };
    this.attempt = attempt;
    // Listeners stay on for the client's whole life: an 'error' without one would crash the process.
    client.on('error', (err) => this.noteProblem(attempt, err));
    client.on('disconnect', (packet: IDisconnectPacket) => this.noteProblem(attempt, packet, disconnectProblem(packet, this.where)));
    client.on('connect', (connack) => this.onConnected(attempt, connack));
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    client.on('close', () => this.onClosed(attempt));
  }

  private onConnected(attempt: Attempt, connack: IConnackPacket): void {
    if (attempt !== this.attempt || !this.running) return;
    attempt.connectedAt = new Date();
    const window = Math.min(this.opts.inflight ?? 256, connack.properties?.receiveMaximum ?? Infinity);
    const replay = new Replay(attempt.client, this.opts.outbox, this.opts.baseTopic, window, {
      onSent: () => this.sent++,
      onAcked: () => this.acked++,
      onFailure: (problem, err) => {
        this.noteProblem(attempt, err, problem);
        attempt.client.end(true);
      },
    });
    attempt.replay = replay;
    this.log.info({ url: redactUrl(this.opts.url), protocol: attempt.version === 5 ? '5' : '3.1.1', window }, 'uplink connected');
    this.setState('connected');
    const { client } = attempt;
    const base = this.opts.baseTopic;
    if (this.opts.subscribeRequests) {
      client.subscribe(`${base}/${REQUEST_PREFIX}+`, { qos: 1 }, (err) => {
        if (err && attempt.problem === null && this.running) this.recordError(`subscribing to ${base}/${REQUEST_PREFIX}+ failed: ${err.message}`);
      });
    }
    const online = availabilityPayload('online', attempt.connectedAt, this.opts.version);
    // The replay waits for this PUBACK so that it alone fills the broker's Receive Maximum.
    publish(client, `${base}/${AVAILABILITY_TOPIC}`, online, true)
      .catch((err: unknown) => {
        if (attempt.problem === null && this.running) this.recordError(`publishing online availability failed: ${(err as Error).message}`);
      })
      .finally(() => replay.start());
  }

  private onClosed(attempt: Attempt): void {
    if (attempt !== this.attempt) return;
    attempt.replay?.stop();
    this.attempt = null;
    if (!this.running) return;
    const wasConnected = attempt.connectedAt !== null;
    if (!wasConnected && (this.opts.protocol ?? 'auto') === 'auto' && this.version === 5 && isUnsupportedProtocol(attempt.error)) {
      this.version = 4;
      this.log.warn({ url: redactUrl(this.opts.url) }, 'broker does not support MQTT 5: falling back to MQTT 3.1.1 (kept until restart)');
      this.connect();
      return;
    }
    if (wasConnected && Date.now() - attempt.connectedAt!.getTime() >= STABLE_CONNECTION_MS) this.failures = 0;
    const problem = attempt.problem ?? (wasConnected ? `connection to ${this.where} closed` : `connection to ${this.where} closed before CONNACK`);
    this.retryLater(problem, wasConnected);
  }

  private retryLater(problem: string, wasConnected: boolean): void {
    this.failures++;
    const backoff = this.opts.backoff ?? { minSeconds: 1, maxSeconds: 120 };
    const delayMs = backoffDelayMs(this.failures, backoff.minSeconds, backoff.maxSeconds);
    this.lastError = problem;
    const context = { problem, retryInMs: delayMs, failures: this.failures };
    if (wasConnected) this.log.warn(context, `uplink connection lost: ${problem}`);
    else this.log.error(context, `uplink connection failed: ${problem}`);
    this.setState('backoff');
    this.timer = setTimeout(() => this.connect(), delayMs);
  }

  private noteProblem(attempt: Attempt, err: unknown, problem = describeConnectionError(err, this.where)): void {
    if (attempt.problem !== null) return;
    attempt.error = err;
    attempt.problem = problem;
  }

  private recordError(problem: string): void {
    this.lastError = problem;
    this.log.error(`uplink: ${problem}`);
  }

  private onMessage(topic: string, payload: Buffer): void {
    const prefix = `${this.opts.baseTopic}/${REQUEST_PREFIX}`;
    const handler = this.opts.onRequest;
    if (!handler || !topic.startsWith(prefix)) return;
    const op = topic.slice(prefix.length);
    // A failing handler must neither crash the process nor stall the MQTT client.
    try {
      Promise.resolve(handler(op, payload)).catch((err: unknown) => this.log.error({ err, op }, 'uplink: request handler failed'));
    } catch (err) {
      this.log.error({ err, op }, 'uplink: request handler failed');
    }
  }

  private setState(state: UplinkState): void {
    if (state === this.state) return;
    this.state = state;
    this.emit('state', this.status());
  }
}

const DISCONNECT_REASONS: Record<number, string> = {
  139: 'is shutting down',
  141: 'saw no keepalive from us in time',
  // What a gateway sees when a second one connects with the same client id, i.e. the same gateway id.
  142: 'handed this session to another client with the same id (two gateways configured with one gateway id?)',
  152: 'disconnected us by administrative action',
  156: 'asks us to use another server',
  157: 'has moved',
};

function disconnectProblem(packet: IDisconnectPacket, where: string): string {
  const code = packet.reasonCode ?? 0;
  const text = packet.properties?.reasonString ? `: ${packet.properties.reasonString}` : '';
  return `broker ${where} ${DISCONNECT_REASONS[code] ?? 'sent DISCONNECT'} (reason code ${code})${text}`;
}

function publish(client: MqttClient, topic: string, payload: Buffer, retain: boolean): Promise<void> {
  return new Promise((resolve, reject) => client.publish(topic, payload, { qos: 1, retain }, (err) => (err ? reject(err) : resolve())));
}

/** Waits for `promise` until `deadline` (epoch ms); true if it settled in time. */
async function within(promise: Promise<unknown>, deadline: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()), false)));
  try {
    return await Promise.race([promise.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
