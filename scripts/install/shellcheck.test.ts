import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../gateway/util/project-root.js';

// Shell runs as root on the box and in CI: every script is checked, sourced libraries followed
// (-x). CI installs shellcheck from Debian (.ci/run).
const scripts = ['scripts/install', 'systemd'].flatMap((dir) => readdirSync(join(projectRoot(), dir)).filter((f) => f.endsWith('.sh')).map((f) => join(dir, f)));

describe('shell scripts', () => {
  it('pass shellcheck', () => {
    expect(scripts.length).toBeGreaterThan(8);
    const run = spawnSync('shellcheck', ['-x', ...scripts], { cwd: projectRoot(), encoding: 'utf8' });
    expect(run.error?.message ?? '', 'shellcheck not installed: apt-get install shellcheck').toBe('');
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
