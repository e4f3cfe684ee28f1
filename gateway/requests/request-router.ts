import type { Logger } from '../log/logger.js';
import type { Response } from '../contract/types.generated.js';
import type { ContractValidator } from '../contract/validator.js';
import { RequestError } from './request-error.js';

export type RequestSource = 'district' | 'local';

/**
 * Returned by a handler whose work must wait until its response is safely queued — a restart,
 * which would otherwise stop the uplink before the answer is in the outbox.
 */
export class AfterResponse {
  constructor(
    readonly data: unknown,
    readonly afterwards: () => void,
  ) {}
}
export type OperationHandler = (data: unknown, source: RequestSource) => Promise<unknown>;

export interface ResponseSink {
  respond(op: string, response: Response): Promise<unknown>;
}

const OP_NAME = /^[a-z][a-z0-9-]{0,63}$/;

/**
 * `request/<op>` → handler → `response/<op>`. Whatever arrives — not JSON, the wrong shape, an
 * unknown op, a handler that throws — gets an error response; nothing here may throw upwards.
 */
export class RequestRouter {
  private readonly handlers = new Map<string, OperationHandler>();
  private handled = 0;
  private failed = 0;

  constructor(
    private readonly sink: ResponseSink,
    private readonly validator: ContractValidator,
    private readonly logger: Logger,
  ) {}

  register(op: string, handler: OperationHandler): void {
    if (!OP_NAME.test(op)) throw new Error(`operation name ${op} is not a valid topic level`);
    if (this.handlers.has(op)) throw new Error(`operation ${op} registered twice`);
    this.handlers.set(op, handler);
  }

  operations(): string[] {
    return [...this.handlers.keys()].sort();
  }

  counters(): { handled: number; failed: number } {
    return { handled: this.handled, failed: this.failed };
  }

  async handle(op: string, payload: Buffer, source: RequestSource): Promise<Response> {
    this.handled += 1;
    let after: (() => void) | undefined;
    const response = await this.answer(op, payload, source, (then) => (after = then));
    if (response.status === 'error') this.failed += 1;
    // An op that is not a clean topic level cannot be answered on response/<op>.
    if (OP_NAME.test(op)) {
      await this.sink.respond(op, response).catch((err: unknown) => this.logger.error({ err, op }, 'could not publish the response'));
    } else {
      this.logger.warn({ op }, 'request on an invalid operation name ignored');
    }
    after?.();
    return response;
  }

  private async answer(op: string, payload: Buffer, source: RequestSource, defer: (then: () => void) => void): Promise<Response> {
    let request: { transaction?: string | number; data?: unknown };
    try {
      request = payload.length === 0 ? {} : (JSON.parse(payload.toString('utf8')) as typeof request);
    } catch (err) {
      return { status: 'error', error: { code: 'malformed', message: `payload is not JSON: ${(err as Error).message}` } };
    }
    const problems = this.validator.problems('request/1', request);
    const transaction = isTransaction(request) ? request.transaction : undefined;
    const echo = transaction === undefined ? {} : { transaction };
    if (problems.length > 0) {
      return { status: 'error', ...echo, error: { code: 'malformed', message: `request does not match request/1: ${problems.join('; ')}` } };
    }
    const handler = this.handlers.get(op);
    if (!handler) {
      return { status: 'error', ...echo, error: { code: 'unknown-op', message: `unknown operation "${op}"; known: ${this.operations().join(', ')}` } };
    }
    try {
      let data = await handler(request.data, source);
      if (data instanceof AfterResponse) {
        defer(data.afterwards);
        data = data.data;
      }
      return { status: 'ok', ...echo, ...(data === undefined ? {} : { data }) };
    } catch (err) {
      if (err instanceof RequestError) return { status: 'error', ...echo, error: { code: err.code, message: err.message } };
      this.logger.error({ err, op }, 'request handler failed');
      return { status: 'error', ...echo, error: { code: 'failed', message: (err as Error).message ?? String(err) } };
    }
  }
}

function isTransaction(value: unknown): value is { transaction: string | number } {
  if (value === null || typeof value !== 'object') return false;
  const t = (value as { transaction?: unknown }).transaction;
  return typeof t === 'string' || typeof t === 'number';
}
