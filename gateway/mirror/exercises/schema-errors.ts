import type { ErrorObject } from 'ajv';

const TYPE_WORDS: Record<string, string> = {
  number: 'a number',
  integer: 'a whole number',
  string: 'text in quotes',
  boolean: 'true or false',
  array: 'a list [ ... ]',
  object: 'an object { ... }',
};

/** `/states/1/enter/knee/max` → `states[1].enter.knee.max`, as a teacher's editor shows it. */
export function jsonPath(pointer: string, ...more: string[]): string {
  const keys = [...pointer.split('/').slice(1).map((k) => k.replaceAll('~1', '/').replaceAll('~0', '~')), ...more];
  const path = keys.map((k, i) => (/^\d+$/.test(k) ? `[${k}]` : !/^[A-Za-z_$][\w$-]*$/.test(k) ? `[${JSON.stringify(k)}]` : i === 0 ? k : `.${k}`)).join('');
  return path || '(the file)';
}

/**
 * Ajv's errors as one sentence per bad key, naming its path and what is allowed. Ajv can report
 * several keywords for one value (an unknown `kind` fails both enum and discriminator): the
 * first wins.
 */
export function describeSchemaErrors(errors: readonly ErrorObject[]): string[] {
  const byPath = new Map<string, string>();
  for (const e of errors) {
    // Ajv follows a bad property name with a summary error that says less.
    if (e.keyword === 'propertyNames') continue;
    const [path, text] = describe(e);
    if (!byPath.has(path)) byPath.set(path, `${path} ${text}`);
  }
  return [...byPath.values()];
}

function describe(e: ErrorObject): [string, string] {
  const params = e.params as Record<string, unknown>;
  if (e.propertyName !== undefined) return [jsonPath(e.instancePath, e.propertyName), 'is not a valid name: use letters, digits and _, starting with a letter'];
  switch (e.keyword) {
    case 'type':
      return [jsonPath(e.instancePath), `must be ${String(params['type']).split(',').map((t) => TYPE_WORDS[t] ?? t).join(' or ')}`];
    case 'required':
      return [jsonPath(e.instancePath, String(params['missingProperty'])), 'is missing'];
    case 'additionalProperties': {
      const known = Object.keys((e.parentSchema?.['properties'] as object | undefined) ?? {});
      return [jsonPath(e.instancePath, String(params['additionalProperty'])), `is not a known key (allowed here: ${known.join(', ')})`];
    }
    case 'enum':
      return [jsonPath(e.instancePath), `must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`];
    case 'discriminator':
      return [jsonPath(e.instancePath, String(params['tag'])), params['error'] === 'tag' ? 'is missing' : 'is not a known kind'];
    default:
      return [jsonPath(e.instancePath), e.message ?? 'is not valid'];
  }
}
