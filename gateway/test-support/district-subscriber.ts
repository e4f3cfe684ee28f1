import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Envelope } from '../uplink/outbox/types.js';

export interface ReceivedMessage {
  topic: string;
  payload: Buffer;
  retain: boolean;
}

/**
 * Plays the district: a persistent-session QoS 1 subscriber that keeps every message and can
 * dedupe envelopes by id the way the district does. MQTT 3.1.1 on purpose: `clean: false`
 * alone makes the session outlive a disconnect (in MQTT 5 it would also need a session expiry).
 */
export class DistrictSubscriber {
  readonly received: ReceivedMessage[] = [];
  private waiters: (() => void)[] = [];

  private constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload, packet) => {
      this.received.push({ topic, payload, retain: packet.retain });
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static async connect(url: string, filter: string, options: IClientOptions = {}): Promise<DistrictSubscriber> {
    const client = await mqtt.connectAsync(url, {
      protocolVersion: 4,
      clean: false,
      clientId: `district-${Math.random().toString(16).slice(2, 10)}`,
      reconnectPeriod: 200,
      ...options,
    });
    client.on('error', () => undefined);
    await client.subscribeAsync(filter, { qos: 1 });
    return new DistrictSubscriber(client);
  }

  /** First delivery of each envelope per topic, in arrival order (what the district keeps). */
  envelopes(topic: string): Envelope[] {
    const seen = new Set<string>();
    const out: Envelope[] = [];
    for (const m of this.received) {
      if (m.topic !== topic) continue;
      const envelope = JSON.parse(m.payload.toString('utf8')) as Envelope;
      if (seen.has(envelope.id)) continue;
      seen.add(envelope.id);
      out.push(envelope);
    }
    return out;
  }

  /** JSON payloads on `topic`, in arrival order. */
  json<T = unknown>(topic: string): T[] {
    return this.received.filter((m) => m.topic === topic).map((m) => JSON.parse(m.payload.toString('utf8')) as T);
  }

  async waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}

/** The message retained on `topic` right now, as a fresh subscriber sees it; null if none arrives in `waitMs`. */
export async function retainedMessage(url: string, topic: string, waitMs = 1000, options: IClientOptions = {}): Promise<ReceivedMessage | null> {
  const client = await mqtt.connectAsync(url, { clean: true, reconnectPeriod: 0, ...options });
  client.on('error', () => undefined);
  try {
    const first = new Promise<ReceivedMessage | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), waitMs);
      client.on('message', (t, payload, packet) => {
        if (t !== topic || !packet.retain) return;
        clearTimeout(timer);
        resolve({ topic: t, payload, retain: true });
      });
    });
    await client.subscribeAsync(topic, { qos: 1 });
    return await first;
  } finally {
    await client.endAsync(true);
  }
}
