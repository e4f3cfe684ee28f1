/**
 * Scanner front-panel buttons as SANE exposes them: read-only "sensor" options in
 * `scanimage -A` output, e.g. (fujitsu) `--scan[=(yes|no)] [no] [hardware]`, (epson) `--button-1 …`.
 * A button counts as pressed when such an option's current value is yes or a non-zero number.
 */
const BUTTON_NAMES = /^(scan|copy|email|pdf|file|button[-_]?\d*|start|sw\d)$/i;

export function pressedButtons(help: string): string[] {
  const pressed: string[] = [];
  for (const line of help.split('\n')) {
    // `--name[=(yes|no)] [value]` or `--name 0..1 [value]`, then maybe `[hardware]`.
    const m = /^\s+--([\w-]+)(?:\[=\([^)]*\)\])?(?:\s+[^\s[]+)?\s+\[([^\]]*)\]/.exec(line);
    if (!m) continue;
    const [, name, value] = m;
    if (!BUTTON_NAMES.test(name!)) continue;
    if (value === 'yes' || (/^\d+$/.test(value!) && value !== '0')) pressed.push(name!);
  }
  return pressed;
}
