import { messages } from '../contract/topics.js';
import type { Availability } from '../contract/types.generated.js';

export const AVAILABILITY_TOPIC = messages.availability.topic;

/** Payloads of `<base>/availability` (availability/1): published direct, never through the outbox. */
export function availabilityPayload(state: Availability['state'], ts: Date, version: string, reason?: string): Buffer {
  const payload: Availability = {
    schema: 'availability/1',
    state,
    ts: ts.toISOString(),
    version,
    ...(reason !== undefined ? { reason } : {}),
  };
  return Buffer.from(JSON.stringify(payload));
}
