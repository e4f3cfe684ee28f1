import type { Logger } from '../log/logger.js';
import { messages, relativeTopic, type EnvelopedName, type LocalName, type Payloads, type TopicParams } from '../contract/topics.js';
import type { ContractValidator } from '../contract/validator.js';
import type { OutboxInput } from '../uplink/outbox/types.js';
import type { RecentMessages } from './recent-messages.js';

export interface DurableQueue {
  enqueue(input: OutboxInput): Promise<{ lsn: number; id: string; seq: number; payload: Buffer }>;
}

export interface BusPublisher {
  publish(topic: string, payload: Buffer | string, opts?: { qos?: 0 | 1; retain?: boolean }): Promise<void>;
}

export interface PublisherOptions {
  baseTopic: string;
  outbox: DurableQueue;
  bus: BusPublisher;
  /**
   * False when the uplink delivers to the gateway's own bus (no district configured): the
   * message then reaches the bus through the uplink, and mirroring it would show it twice.
   */
  mirrorToBus: boolean;
  validator: ContractValidator;
  recent: RecentMessages;
  logger: Logger;
}

/**
 * The one way the gateway sends a message: checked against the contract, made durable in the
 * outbox (the promise resolves only then), and mirrored on the local bus for Node-RED flows.
 */
export class Publisher {
  constructor(private readonly opts: PublisherOptions) {}

  async publish<K extends EnvelopedName>(name: K, params: TopicParams<K>, data: Payloads[K]): Promise<{ id: string; seq: number }> {
    const spec = messages[name];
    this.opts.validator.assert(spec.schema, data);
    const stream = relativeTopic(name, params);
    const input: OutboxInput = { stream, schema: spec.schema, data, priority: spec.priority, retain: spec.retain };
    const { id, seq, payload } = await this.opts.outbox.enqueue(input);
    const topic = `${this.opts.baseTopic}/${stream}`;
    this.opts.recent.add({ at: new Date().toISOString(), topic, schema: spec.schema, bytes: payload.length, direction: 'out' });
    if (this.opts.mirrorToBus) {
      // The local copy is best effort: the durable copy is already in the outbox.
      await this.opts.bus.publish(topic, payload, { qos: 1, retain: spec.retain }).catch((err: unknown) => {
        this.opts.logger.warn({ err, topic }, 'local bus mirror failed');
      });
    }
    return { id, seq };
  }

  /**
   * A message for the classroom only (contract direction `local`): checked against the contract
   * and published on the local bus at QoS 0, never stored. Its rate (every pen stroke) would be
   * wasted on the district and on the SD card.
   */
  async publishLocal<K extends LocalName>(name: K, params: TopicParams<K>, data: Payloads[K]): Promise<void> {
    const spec = messages[name];
    this.opts.validator.assert(spec.schema, data);
    const topic = `${this.opts.baseTopic}/${relativeTopic(name, params)}`;
    // Not listed in the recent messages: forty pens' strokes would push everything else out of view.
    await this.opts.bus.publish(topic, Buffer.from(JSON.stringify(data)), { qos: 0, retain: false });
  }
}
