import { SettingsError } from './errors.js';

/**
 * JSON.parse with an error IT can act on: line, column, the line itself with a caret, and the
 * usual culprits (trailing comma, comments, single quotes) named. V8's own message has no line
 * and sometimes no position at all, so a small scanner finds the spot once parsing has failed.
 */
export function parseJsonText(text: string, file: string): unknown {
  const body = text.replace(/^\uFEFF/, ''); // editors on Windows like to add a byte-order mark
  try {
    return JSON.parse(body);
  } catch (error) {
    const found = locateSyntaxError(body) ?? { at: 0, reason: (error as Error).message };
    throw new SettingsError(`${file} is not valid JSON: ${pointAt(body, found.at)}: ${found.reason}\n${excerpt(body, found.at)}`);
  }
}

interface Located {
  at: number;
  reason: string;
}

class Stop extends Error {
  constructor(readonly located: Located) {
    super(located.reason);
  }
}

/** Offset and reason of the first syntax error, or undefined if the scanner finds none. */
function locateSyntaxError(text: string): Located | undefined {
  let i = 0;
  const fail = (reason: string, at = i): never => {
    throw new Stop({ at, reason });
  };
  const skipSpace = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i] ?? '')) i++;
  };
  const unexpected = (expected: string): never => {
    const c = text[i];
    if (c === undefined) return fail(`the file ends where ${expected} was expected (is a closing bracket missing?)`);
    if (c === '/') return fail('comments are not allowed in JSON');
    if (c === "'") return fail('use double quotes " in JSON, not single quotes');
    const word = /^[A-Za-z_][\w-]*/.exec(text.slice(i))?.[0];
    if (word !== undefined) return fail(`found ${word}: text must be in "double quotes" (the only bare words in JSON are true, false and null)`);
    return fail(`expected ${expected}, found ${JSON.stringify(c)}`);
  };
  const string = () => {
    if (text[i] !== '"') unexpected('a "quoted" name');
    for (i++; i < text.length; i++) {
      const c = text[i] ?? '';
      if (c === '"') return void i++;
      if (c < ' ') fail('line break or control character inside quotes (write \\n for a line break)');
      if (c === '\\') {
        const backslash = i++;
        if (text[i] === 'u' ? !/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5)) : !'"\\/bfnrt'.includes(text[i] ?? 'x')) {
          fail('invalid escape after \\ (write \\\\ for a backslash, e.g. in Windows paths)', backslash);
        }
        if (text[i] === 'u') i += 4;
      }
    }
    fail('the file ends inside quotes (is a closing " missing?)');
  };
  const members = (close: '}' | ']', member: () => void) => {
    i++;
    skipSpace();
    if (text[i] === close) return void i++;
    for (;;) {
      member();
      skipSpace();
      if (text[i] === close) return void i++;
      if (text[i] !== ',') unexpected(`"," or "${close}"`);
      const comma = i++;
      skipSpace();
      if (text[i] === close) fail(`remove this comma: JSON allows no comma before "${close}"`, comma);
    }
  };
  const value = (): void => {
    skipSpace();
    const c = text[i];
    if (c === '{') {
      return members('}', () => {
        skipSpace();
        string();
        skipSpace();
        if (text[i] !== ':') unexpected('":"');
        i++;
        value();
      });
    }
    if (c === '[') return members(']', value);
    if (c === '"') return string();
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i))?.[0];
    if (literal === undefined) unexpected('a value (text in "double quotes", a number, true, false, null, { or [)');
    i += literal?.length ?? 0;
  };
  try {
    value();
    skipSpace();
    if (i < text.length) fail('unexpected text after the end of the settings (a missing comma, or an extra "}"?)');
    return undefined;
  } catch (error) {
    if (error instanceof Stop) return error.located;
    throw error;
  }
}

function pointAt(text: string, at: number): string {
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/** The offending line with a caret under the spot (tabs kept so the caret lines up). */
function excerpt(text: string, at: number): string {
  const start = text.lastIndexOf('\n', at - 1) + 1;
  const end = text.indexOf('\n', at);
  const line = text.slice(start, end === -1 ? undefined : end).replace(/\r$/, '');
  const caret = text.slice(start, at).replace(/[^\t]/g, ' ') + '^';
  return `    ${line}\n    ${caret}`;
}
