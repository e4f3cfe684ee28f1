import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderDoc, renderTypes } from './generate.js';
import { baseTopic, matchTopic, messages, relativeTopic } from './topics.js';
import { ContractValidator, loadSchemaFiles, SCHEMA_DIR } from './validator.js';

const validator = new ContractValidator();

describe('message contract', () => {
  it('has a schema file for every message in the topic map', () => {
    for (const spec of Object.values(messages)) expect(validator.has(spec.schema), spec.schema).toBe(true);
    expect(validator.has('envelope/1')).toBe(true);
  });

  it('generated types and the district page are up to date (run npm run contract:generate)', async () => {
    const dir = join(SCHEMA_DIR, '..');
    expect(readFileSync(join(dir, 'types.generated.ts'), 'utf8')).toBe(await renderTypes());
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe(renderDoc());
  });

  it('documents every topic and every schema on the district page', () => {
    const doc = renderDoc();
    for (const spec of Object.values(messages)) expect(doc).toContain(`\`${spec.topic}\``);
    for (const f of loadSchemaFiles()) expect(doc).toContain(`\`${f.name}\``);
  });

  it('rejects payloads that break a schema, naming the field', () => {
    expect(validator.problems('alarm/1', { code: 'disk-low', severity: 'loud', active: true, message: 'x' })).toEqual([
      expect.stringContaining('/severity'),
    ]);
    expect(validator.problems('envelope/1', { schema: 'health/1', id: 'not-a-uuid', seq: 0, ts: 'yesterday', data: {} })).toHaveLength(3);
    expect(() => validator.assert('response/1', { status: 'maybe' })).toThrow(/response\/1.*status/);
  });

  it('builds topics from templates and refuses parameters that escape a level', () => {
    expect(baseTopic({ prefix: 'classroom', school: 's1', classroom: 'c1', gateway: 'g1' })).toBe('classroom/s1/c1/g1');
    expect(relativeTopic('deviceEvent', { device: 'scanner-1' })).toBe('device/scanner-1/event');
    for (const bad of ['a/b', '+', '#', '']) expect(() => relativeTopic('deviceEvent', { device: bad })).toThrow(/one topic level/);
  });

  it('matches relative topics back to messages', () => {
    expect(matchTopic('request/status')).toEqual({ name: 'request', params: { op: 'status' } });
    expect(matchTopic('device/pens-1/state')).toEqual({ name: 'deviceState', params: { device: 'pens-1' } });
    expect(matchTopic('nonsense/topic')).toBeNull();
  });
});
