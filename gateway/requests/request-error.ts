import type { Response } from '../contract/types.generated.js';

export type RequestErrorCode = NonNullable<Response['error']>['code'];

/** Thrown by an operation handler to answer with a specific error code instead of `failed`. */
export class RequestError extends Error {
  constructor(
    readonly code: RequestErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}
