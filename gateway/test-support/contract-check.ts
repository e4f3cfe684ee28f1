import { matchTopic, messages } from '../contract/topics.js';
import { ContractValidator } from '../contract/validator.js';

const validator = new ContractValidator();

/**
 * Everything a test saw on the wire, checked against the contract: the topic must be in the
 * map, an enveloped message must carry a valid envelope whose data matches its schema.
 * Returns one line per problem (empty when all is well).
 */
export function contractProblems(baseTopic: string, received: { topic: string; payload: Buffer }[]): string[] {
  const problems: string[] = [];
  for (const { topic, payload } of received) {
    if (!topic.startsWith(`${baseTopic}/`)) continue;
    const match = matchTopic(topic.slice(baseTopic.length + 1));
    if (!match) {
      problems.push(`${topic}: not in the contract`);
      continue;
    }
    const spec = messages[match.name];
    let body: unknown;
    try {
      body = JSON.parse(payload.toString('utf8'));
    } catch {
      problems.push(`${topic}: payload is not JSON`);
      continue;
    }
    if (spec.enveloped) {
      const envelopeProblems = validator.problems('envelope/1', body);
      const envelope = body as { schema?: string; data?: unknown };
      if (envelope.schema !== spec.schema) envelopeProblems.push(`schema ${String(envelope.schema)} is not ${spec.schema}`);
      problems.push(...[...envelopeProblems, ...validator.problems(spec.schema, envelope.data)].map((p) => `${topic}: ${p}`));
    } else {
      problems.push(...validator.problems(spec.schema, body).map((p) => `${topic}: ${p}`));
    }
  }
  return problems;
}
