/** One thing wrong with a settings (or secrets) document, at a JSON path such as `web.port`. */
export interface SettingsProblem {
  path: string;
  /** What is allowed and what was found, in words a school IT person can act on. */
  message: string;
}

/**
 * Settings that cannot be used. The message is meant to be shown as is (log, CLI, web page):
 * a headline, then one line per problem. `problems` keeps them apart for the web form.
 */
export class SettingsError extends Error {
  override readonly name = 'SettingsError';

  constructor(
    readonly headline: string,
    readonly problems: readonly SettingsProblem[] = [],
  ) {
    super([headline, ...problems.map((p) => `  - ${p.path}: ${p.message}`)].join('\n'));
  }
}

/** `["devices", 0, "id"]` → `devices[0].id`; keys that are not identifiers are quoted. */
export function formatPath(segments: readonly (string | number)[]): string {
  if (segments.length === 0) return '(top level)';
  return segments
    .map((s, i) => {
      if (typeof s === 'number') return `[${s}]`;
      if (/^[A-Za-z_$][\w$-]*$/.test(s)) return i === 0 ? s : `.${s}`;
      return `[${JSON.stringify(s)}]`;
    })
    .join('');
}

/** mqtts://user:secret@host → mqtts://user:***@host: messages and summaries get pasted into tickets. */
export function hideUrlPassword(text: string): string {
  return text.replace(/([a-z]+:\/\/[^/:@\s]*):[^/@\s]*@/gi, '$1:***@');
}

/** Keys whose values are never echoed back: error messages end up in logs and screenshots. */
export function isSecretKey(segments: readonly (string | number)[]): boolean {
  const last = segments.at(-1);
  return typeof last === 'string' && /password|secret/i.test(last);
}
