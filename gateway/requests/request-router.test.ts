import { describe, expect, it } from 'vitest';
import type { Response } from '../contract/types.generated.js';
import { ContractValidator } from '../contract/validator.js';
import { silentLogger } from '../log/logger.js';
import { RequestError } from './request-error.js';
import { AfterResponse, RequestRouter } from './request-router.js';

const validator = new ContractValidator();

function setup() {
  const sent: { op: string; response: Response }[] = [];
  const router = new RequestRouter({ respond: async (op, response) => sent.push({ op, response }) }, validator, silentLogger());
  router.register('echo', async (data) => data);
  router.register('refuse', async () => {
    throw new RequestError('invalid', 'bad key web.port');
  });
  router.register('explode', async () => {
    throw new TypeError('boom');
  });
  return { router, sent };
}

const json = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('request router', () => {
  it('answers with the transaction echoed and publishes on response/<op>', async () => {
    const { router, sent } = setup();
    await router.handle('echo', json({ transaction: 'tx-1', data: { a: 1 } }), 'district');
    expect(sent).toEqual([{ op: 'echo', response: { status: 'ok', transaction: 'tx-1', data: { a: 1 } } }]);
    for (const { response } of sent) expect(validator.problems('response/1', response)).toEqual([]);
  });

  it('answers malformed payloads, unknown ops and failing handlers with errors, never throwing', async () => {
    const { router, sent } = setup();
    const cases: [string, Buffer, string][] = [
      ['echo', Buffer.from('{not json'), 'malformed'],
      ['echo', json([1, 2]), 'malformed'],
      ['echo', json({ transaction: { nested: true } }), 'malformed'],
      ['echo', json({ transaction: 7, extra: 1 }), 'malformed'],
      ['nope', json({ transaction: 8 }), 'unknown-op'],
      ['refuse', json({ transaction: 9 }), 'invalid'],
      ['explode', json({}), 'failed'],
    ];
    for (const [op, payload, code] of cases) {
      const response = await router.handle(op, payload, 'local');
      expect(response.status).toBe('error');
      expect(response.error?.code).toBe(code);
      expect(validator.problems('response/1', response)).toEqual([]);
    }
    expect(sent).toHaveLength(cases.length);
    expect(sent.find((s) => s.op === 'refuse')?.response).toMatchObject({ transaction: 9, error: { message: 'bad key web.port' } });
    expect(router.counters()).toEqual({ handled: 7, failed: 7 });
  });

  it('runs deferred work only after the response is queued', async () => {
    const order: string[] = [];
    const router = new RequestRouter({ respond: async () => void order.push('responded') }, validator, silentLogger());
    router.register('restart', async () => new AfterResponse({ restarting: true }, () => order.push('restarted')));
    expect(await router.handle('restart', json({}), 'local')).toEqual({ status: 'ok', data: { restarting: true } });
    expect(order).toEqual(['responded', 'restarted']);
  });

  it('treats an empty payload as a request without arguments', async () => {
    const { router } = setup();
    expect(await router.handle('echo', Buffer.alloc(0), 'local')).toEqual({ status: 'ok' });
  });

  it('does not answer on a topic level that is not a valid op name', async () => {
    const { router, sent } = setup();
    const response = await router.handle('Bad Op!', json({}), 'local');
    expect(response.error?.code).toBe('unknown-op');
    expect(sent).toHaveLength(0);
  });
});
