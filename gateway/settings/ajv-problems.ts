import type { ErrorObject } from 'ajv';
import { formatPath, hideUrlPassword, isSecretKey, type SettingsProblem } from './errors.js';
import { allowedText, type SchemaNode } from './schema-node.js';

/**
 * Turns Ajv's errors into one line per bad key: its JSON path, what is allowed, what was found.
 * Ajv may report several keywords for one value (e.g. format and pattern): the first wins.
 */
export function problemsFromAjv(errors: readonly ErrorObject[], doc: unknown, root: SchemaNode): SettingsProblem[] {
  const byPath = new Map<string, string>();
  for (const error of errors) {
    const segments = pointerSegments(error.instancePath, doc);
    const { path, message } = describeError(error, segments, root);
    if (!byPath.has(path)) byPath.set(path, message);
  }
  return [...byPath].map(([path, message]) => ({ path, message }));
}

function describeError(error: ErrorObject, segments: (string | number)[], root: SchemaNode): SettingsProblem {
  const parent = (error.parentSchema ?? {}) as SchemaNode;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const known = Object.keys(parent.properties ?? {});
      const guess = closest(key, known);
      return {
        path: formatPath([...segments, key]),
        message: `unknown key${guess === undefined ? '' : ` (did you mean "${guess}"?)`}; allowed keys here: ${known.join(', ')}`,
      };
    }
    case 'required': {
      const key = String(params['missingProperty']);
      const node = parent.properties?.[key];
      return {
        path: formatPath([...segments, key]),
        message: `missing, but required${node === undefined ? '' : `; allowed: ${allowedText(node, root)}`}`,
      };
    }
    default:
      return {
        path: formatPath(segments),
        message: `allowed: ${allowedText(parent, root)}; found ${showValue(error.data, segments)}${quotedNumberHint(error)}`,
      };
  }
}

/** The value as it appears in the file, shortened, with secrets hidden. */
function showValue(value: unknown, segments: readonly (string | number)[]): string {
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (value !== null && typeof value === 'object') return 'an object { ... }';
  if (isSecretKey(segments)) return `${typeof value === 'string' ? 'text' : `a ${typeof value}`} (value hidden)`;
  const text = hideUrlPassword(JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The commonest slip by hand: "port": "8080". */
function quotedNumberHint(error: ErrorObject): string {
  const wantsNumber = error.keyword === 'type' && /integer|number/.test(String(error.params['type']));
  return wantsNumber && typeof error.data === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(error.data) ? ' (remove the quotes)' : '';
}

/** JSON pointer → path segments; array indices become numbers by looking at the document. */
function pointerSegments(pointer: string, doc: unknown): (string | number)[] {
  if (pointer === '') return [];
  const segments: (string | number)[] = [];
  let node = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    const segment = Array.isArray(node) ? Number(key) : key;
    segments.push(segment);
    node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[segment] : undefined;
  }
  return segments;
}

/** The known key a misspelt one most likely meant: few edits away (more for long keys), or differing in case only. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  const allowed = Math.max(2, Math.floor(word.length / 4));
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = candidate.toLowerCase() === word.toLowerCase() ? 0 : editDistance(word, candidate);
    if (distance <= allowed && (best === undefined || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
