import { randomUUID } from 'node:crypto';
import type { LocalBus } from '../bus/local-bus.js';
import type { OperationName } from '../contract/operations.js';
import { matchTopic, messages, type MessageName } from '../contract/topics.js';
import type { FlowMessage, Response } from '../contract/types.generated.js';
import type { ManagedDeviceInfo } from '../devices/registry.js';
import type { Publisher } from '../messaging/publisher.js';
import type { RequestRouter } from '../requests/request-router.js';

/** A flow's message to the district is at most this much JSON: the outbox is for results, not files. */
export const FLOW_MESSAGE_MAX_BYTES = 64 * 1024;

export interface BridgeMessage {
  name: MessageName;
  /** Relative to the gateway's base topic, e.g. `scan/report/fractions-week3`. */
  topic: string;
  /** The topic's parameters, e.g. `{ assignment: 'fractions-week3' }`. */
  params: Record<string, string>;
  schema: string;
  /** The message itself (for enveloped messages, the envelope's `data`). */
  payload: unknown;
  /** Enveloped messages: the id the district deduplicates by and the per-topic sequence number. */
  envelope?: { id: string; seq: number; ts: string };
}

/**
 * What the classroom palette's Node-RED nodes may do with the gateway, handed to them as
 * `RED.settings.classroomGateway`: listen to contract messages on the local bus, ask for the
 * operations a local client may, and send to the district through the outbox. Nothing else: a
 * flow never reaches a device, the outbox or the uplink around the gateway.
 */
export interface ClassroomBridge {
  readonly baseTopic: string;
  subscribe(names: readonly MessageName[], listener: (message: BridgeMessage) => void): () => void;
  request(op: OperationName, data?: Record<string, unknown>): Promise<Response>;
  sendToDistrict(flow: string, data: unknown): Promise<{ id: string; seq: number; topic: string }>;
  devices(): Pick<ManagedDeviceInfo, 'id' | 'kind' | 'transport' | 'state'>[];
}

export interface ClassroomBridgeOptions {
  baseTopic: string;
  bus: Pick<LocalBus, 'subscribe'>;
  publisher: Pick<Publisher, 'publish'>;
  router: Pick<RequestRouter, 'handle'>;
  devices: () => ManagedDeviceInfo[];
}

export function createClassroomBridge(o: ClassroomBridgeOptions): ClassroomBridge {
  return {
    baseTopic: o.baseTopic,
    subscribe(names, listener) {
      const wanted = new Set<MessageName>(names);
      return o.bus.subscribe(`${o.baseTopic}/#`, (topic, payload) => {
        const relative = topic.slice(o.baseTopic.length + 1);
        const match = matchTopic(relative);
        if (!match || !wanted.has(match.name)) return;
        const spec = messages[match.name];
        let body: unknown;
        try {
          body = JSON.parse(payload.toString());
        } catch {
          return; // Not ours to judge: the bus's own clients may publish anything they are allowed to.
        }
        const envelope = spec.enveloped ? (body as { id?: string; seq?: number; ts?: string; data?: unknown }) : null;
        listener({
          name: match.name,
          topic: relative,
          params: match.params,
          schema: spec.schema,
          payload: envelope ? envelope.data : body,
          ...(envelope?.id !== undefined && envelope.seq !== undefined && envelope.ts !== undefined ? { envelope: { id: envelope.id, seq: envelope.seq, ts: envelope.ts } } : {}),
        });
      });
    },
    request(op, data) {
      return o.router.handle(op, Buffer.from(JSON.stringify({ transaction: `flow-${randomUUID()}`, ...(data ? { data } : {}) })), 'local');
    },
    async sendToDistrict(flow, data) {
      const bytes = Buffer.byteLength(JSON.stringify(data ?? null));
      if (bytes > FLOW_MESSAGE_MAX_BYTES) throw new Error(`a flow's message to the district may be at most ${FLOW_MESSAGE_MAX_BYTES / 1024} KiB of JSON; this one is ${Math.ceil(bytes / 1024)} KiB`);
      const message: FlowMessage = { flow, at: new Date().toISOString(), data: data ?? null };
      const { id, seq } = await o.publisher.publish('flowMessage', { flow }, message);
      return { id, seq, topic: `${o.baseTopic}/flow/${flow}` };
    },
    devices: () => o.devices().map(({ id, kind, transport, state }) => ({ id, kind, transport, state })),
  };
}
