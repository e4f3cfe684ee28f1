import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * One Ajv configuration for settings and secrets: all errors at once (IT fixes a file in one
 * go), defaults filled in, and the failing value and schema kept on each error (verbose) so
 * messages can say what was found and what is allowed.
 */
export function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, useDefaults: true, verbose: true, allowUnionTypes: true, strict: true });
  // ajv-formats is CommonJS: under NodeNext its default import is the module object.
  addFormats.default(ajv);
  // Annotations only (strict mode rejects unknown keywords): read by describe.ts and ajv-problems.ts.
  ajv.addKeyword({ keyword: 'x-restart-required', schemaType: 'boolean' });
  ajv.addKeyword({ keyword: 'x-allowed', schemaType: 'string' });
  return ajv;
}
