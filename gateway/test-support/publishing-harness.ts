import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalBus } from '../bus/local-bus.js';
import { ContractValidator } from '../contract/validator.js';
import { silentLogger } from '../log/logger.js';
import { Publisher } from '../messaging/publisher.js';
import { RecentMessages } from '../messaging/recent-messages.js';
import { Outbox } from '../uplink/outbox/outbox.js';

export interface PublishingHarness {
  dataDir: string;
  outbox: Outbox;
  publisher: Publisher;
  /** Everything published under the base topic on the local bus, in order. */
  seen: { topic: string; payload: Buffer }[];
  close(): Promise<void>;
}

/** What a pipeline publishes through, for its tests: a real outbox in a temp dir, a real local bus, the one publisher. */
export async function publishingHarness(baseTopic: string, prefix: string): Promise<PublishingHarness> {
  const logger = silentLogger();
  const dataDir = await mkdtemp(join(tmpdir(), prefix));
  const outbox = await Outbox.open({ dir: join(dataDir, 'outbox'), logger });
  const bus = await createLocalBus({ baseTopic, loopback: { host: '127.0.0.1', port: 0, allowAnonymous: true }, users: [], logger });
  const seen: { topic: string; payload: Buffer }[] = [];
  bus.subscribe(`${baseTopic}/#`, (topic, payload) => seen.push({ topic, payload }));
  const publisher = new Publisher({ baseTopic, outbox, bus, mirrorToBus: true, validator: new ContractValidator(), recent: new RecentMessages(), logger });
  return {
    dataDir,
    outbox,
    publisher,
    seen,
    async close() {
      await bus.close();
      await outbox.close();
    },
  };
}
