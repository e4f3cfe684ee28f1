import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../gateway/util/project-root.js';

// bookworm's udevadm (systemd 252) has no `verify` (255+): this is the syntax check CI can run
// everywhere. It is stricter than udev, which only logs and skips a bad line at boot.
const RULES = readFileSync(join(projectRoot(), 'systemd', '99-classroom-gateway.rules'), 'utf8');
const MATCH_KEYS = /^(ACTION|SUBSYSTEM|SUBSYSTEMS|KERNEL|KERNELS|DRIVERS|ATTR\{[\w/.-]+\}|ATTRS\{[\w/.-]+\}|ENV\{\w+\}|TEST)$/;
const ASSIGN_KEYS = /^(GROUP|OWNER|MODE|SYMLINK|GOTO|LABEL|TAG|RUN|ATTR\{[\w/.-]+\}|ENV\{\w+\})$/;
const PAIR = /^([A-Z]+(?:\{[^}]*\})?)(==|!=|\+=|-=|:=|=)"([^"]*)"$/;

interface Pair {
  key: string;
  op: string;
  value: string;
}

function parseLine(line: string): Pair[] {
  return line.split(/,\s*/).map((text) => {
    const m = PAIR.exec(text.trim());
    if (!m) throw new Error(`not KEY<op>"value": ${text}`);
    return { key: m[1] ?? '', op: m[2] ?? '', value: m[3] ?? '' };
  });
}

const rules = RULES.split('\n')
  .map((text, i) => ({ text: text.trim(), line: i + 1 }))
  .filter((l) => l.text !== '' && !l.text.startsWith('#'));

describe('udev rules (systemd/99-classroom-gateway.rules)', () => {
  it('has only comments, blank lines and KEY==/KEY= pairs of known keys', () => {
    expect(rules.length).toBeGreaterThan(5);
    for (const { text, line } of rules) {
      for (const { key, op } of parseLine(text)) {
        const matching = op === '==' || op === '!=';
        const known = matching ? MATCH_KEYS.test(key) : ASSIGN_KEYS.test(key);
        expect(known, `line ${line}: ${key}${op} is not a known ${matching ? 'match' : 'assignment'} key`).toBe(true);
      }
    }
  });

  it('jumps only to labels that exist', () => {
    const pairs = rules.flatMap((r) => parseLine(r.text));
    const labels = pairs.filter((p) => p.key === 'LABEL').map((p) => p.value);
    for (const p of pairs.filter((p) => p.key === 'GOTO')) expect(labels).toContain(p.value);
  });

  it('gives devices to the service group, owner and group only, and names links under /dev/classroom', () => {
    const pairs = rules.flatMap((r) => parseLine(r.text));
    for (const p of pairs.filter((p) => p.key === 'GROUP')) expect(p.value).toBe('classroom-gw');
    for (const p of pairs.filter((p) => p.key === 'MODE')) expect(p.value).toBe('0660');
    const links = pairs.filter((p) => p.key === 'SYMLINK').map((p) => p.value);
    expect(links).toEqual(expect.arrayContaining(['classroom/pen-hub', 'classroom/camera']));
    for (const link of links) expect(link.startsWith('classroom/')).toBe(true);
  });

  it('covers serial ports, cameras and SANE scanners', () => {
    const grouped = rules.filter((r) => r.text.includes('GROUP=')).map((r) => r.text);
    expect(grouped.some((t) => t.includes('ttyACM') && t.includes('ttyUSB'))).toBe(true);
    expect(grouped.some((t) => t.includes('SUBSYSTEM=="video4linux"'))).toBe(true);
    expect(grouped.some((t) => t.includes('ENV{libsane_matched}=="yes"'))).toBe(true);
  });

  it('names the pen hub by the product string the hub protocol gives every hub', () => {
    const protocol = readFileSync(join(projectRoot(), 'drivers', 'pen-hub', 'HUB-PROTOCOL.md'), 'utf8');
    const product = /\| iProduct \| exactly `([^`]+)` \|/.exec(protocol)?.[1];
    expect(product).toBe('Classroom Pen Hub');
    const hubRule = rules.map((r) => parseLine(r.text)).find((pairs) => pairs.some((p) => p.key === 'SYMLINK' && p.value === 'classroom/pen-hub'))!;
    expect(hubRule).toContainEqual({ key: 'ATTRS{product}', op: '==', value: product });
  });
});
