import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

/**
 * install.sh, upgrade.sh and uninstall.sh under a PREFIX, unprivileged: a fake systemctl starts
 * the current release's "node" in the background, fake releases run a tiny health server (or
 * exit at once), udevadm is `true`, and no user is created.
 */
const HERE = import.meta.dirname;
const SCRIPTS = ['lib.sh', 'install.sh', 'upgrade.sh', 'rollback.sh', 'uninstall.sh'];

// systemctl: just enough for the scripts (daemon-reload, enable [--now], start, stop, restart,
// is-active, is-failed, disable --now), with the "service" being the current release's
// node/bin/node. "failed" is a service that was started and is gone (systemd's given-up state).
const FAKE_SYSTEMCTL = `#!/usr/bin/env bash
set -u
args=(); for a in "$@"; do case "$a" in --*) [ "$a" = --now ] && now=1 ;; *) args+=("$a") ;; esac; done
cmd="\${args[0]}"; pidf="$FAKE_STATE/pid"
echo "systemctl $*" >> "$FAKE_STATE/calls"
running() { [ -f "$pidf" ] && kill -0 "$(cat "$pidf")" 2>/dev/null; }
start() {
  running && return 0
  cur="$PREFIX/opt/classroom-gateway/current"
  GATEWAY_DATA="$PREFIX/var/lib/classroom-gateway" setsid "$cur/node/bin/node" "$cur/dist/gateway/main.js" start \\
    >> "$FAKE_STATE/journal" 2>&1 < /dev/null &
  echo $! > "$pidf"
}
stop() {
  running || return 0
  kill "$(cat "$pidf")"; while running; do sleep 0.05; done; rm -f "$pidf"
}
case "$cmd" in
  daemon-reload | reset-failed) ;;
  enable) touch "$FAKE_STATE/enabled"; [ "\${now:-0}" = 1 ] && start ;;
  disable) rm -f "$FAKE_STATE/enabled"; [ "\${now:-0}" = 1 ] && stop ;;
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  is-active) running; exit $? ;;
  is-failed) [ -f "$pidf" ] && ! running; exit $? ;;
  *) echo "fake systemctl: $cmd?" >&2; exit 1 ;;
esac
exit 0
`;
const FAKE_JOURNALCTL = '#!/bin/sh\ncat "$FAKE_STATE/journal" 2>/dev/null\n';

// The fake gateway: /api/health with the release's version, the first-start banner line, or an
// immediate crash for a release marked "fake": "crash".
const FAKE_MAIN = `
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
const bundle = JSON.parse(readFileSync(new URL('../../bundle.json', import.meta.url), 'utf8'));
if (bundle.fake === 'crash') { console.error('fake gateway ' + bundle.version + ': crashing'); process.exit(1); }
const secrets = process.env.GATEWAY_DATA + '/secrets.json';
if (!existsSync(secrets)) { writeFileSync(secrets, '{}'); console.error('  Admin password  abcd-efgh-jkmn-pqrs   <- shown once'); }
createServer((req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', version: bundle.version })))
  .listen(Number(process.env.FAKE_PORT), '127.0.0.1', () => console.error('fake gateway ' + bundle.version + ' up'));
process.on('SIGTERM', () => process.exit(0));
`;

let root: string;
let env: NodeJS.ProcessEnv;
let prefix: string;
let state: string;
let port: number;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

function sh(script: string, body: string, mode = 0o755): string {
  writeFileSync(script, body);
  chmodSync(script, mode);
  return script;
}

/** An unpacked bundle (release/ + MANIFEST.sha256) of a fake release; optionally also as .tar.gz. */
function makeBundle(version: string, opts: { crash?: boolean; tarball?: boolean; platform?: string } = {}): string {
  const top = join(root, 'bundles', `classroom-gateway-${version}-linux-arm64`);
  const rel = join(top, 'release');
  mkdirSync(join(rel, 'dist', 'gateway'), { recursive: true });
  mkdirSync(join(rel, 'node', 'bin'), { recursive: true });
  mkdirSync(join(rel, 'systemd'), { recursive: true });
  mkdirSync(join(rel, 'scripts', 'install'), { recursive: true });
  const platform = opts.platform ? `  "platform": "${opts.platform}",\n` : '';
  writeFileSync(join(rel, 'bundle.json'), `{\n  "name": "classroom-gateway",\n  "version": "${version}",\n${platform}  "fake": "${opts.crash ? 'crash' : 'ok'}"\n}\n`);
  writeFileSync(join(rel, 'dist', 'gateway', 'main.js'), FAKE_MAIN);
  writeFileSync(join(rel, 'package.json'), '{"type":"module"}\n');
  sh(join(rel, 'node', 'bin', 'node'), `#!/bin/sh\nexec "${process.execPath}" "$@"\n`);
  writeFileSync(join(rel, 'systemd', 'classroom-gateway.service'), '[Service]\nExecStart=/opt/classroom-gateway/current/node/bin/node\n');
  writeFileSync(join(rel, 'systemd', '99-classroom-gateway.rules'), '# rules\n');
  for (const f of SCRIPTS) cpSync(join(HERE, f), join(rel, 'scripts', 'install', f));
  const manifest = spawnSync('bash', ['-c', 'find release -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum > MANIFEST.sha256'], { cwd: top });
  expect(manifest.status).toBe(0);
  if (!opts.tarball) return top;
  const tarball = `${top}.tar.gz`;
  const tar = spawnSync('bash', ['-c', `tar -czf "${tarball}" -C bundles "$(basename "${top}")" && (cd bundles && sha256sum "$(basename "${tarball}")" > "$(basename "${tarball}").sha256")`], { cwd: root });
  expect(tar.status).toBe(0);
  return tarball;
}

function run(script: string, args: string[] = [], extraEnv: NodeJS.ProcessEnv = {}) {
  const r = spawnSync('bash', [script, ...args], { env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: 40_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Every path under the prefix with type, mode, size, mtime and link target: "changes nothing". */
function tree(dir: string): string {
  const r = spawnSync('bash', ['-c', `cd "${dir}" && find . -printf '%p %y %m %s %T@ %l\\n' | LC_ALL=C sort`], { encoding: 'utf8' });
  return r.stdout;
}

const opt = () => join(prefix, 'opt', 'classroom-gateway');
const data = () => join(prefix, 'var', 'lib', 'classroom-gateway');
const current = () => readlinkSync(join(opt(), 'current'));
const health = async () => (await (await fetch(`http://127.0.0.1:${port}/api/health`)).json()) as { version: string };
const servicePid = () => readFileSync(join(state, 'pid'), 'utf8').trim();

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gateway-install-'));
  port = await freePort();
  mkdirSync(join(root, 'bin'));
  mkdirSync(join(root, 'bundles'));
  sh(join(root, 'bin', 'systemctl'), FAKE_SYSTEMCTL);
  sh(join(root, 'bin', 'journalctl'), FAKE_JOURNALCTL);
});

function freshBox(name: string): void {
  prefix = join(root, name);
  state = join(root, `${name}-state`);
  mkdirSync(prefix, { recursive: true });
  mkdirSync(state, { recursive: true });
  env = {
    PATH: process.env.PATH,
    HOME: root,
    PREFIX: prefix,
    SYSTEMCTL: join(root, 'bin', 'systemctl'),
    JOURNALCTL: join(root, 'bin', 'journalctl'),
    UDEVADM: 'true',
    CREATE_USER: '0',
    HEALTH_URL: `http://127.0.0.1:${port}/api/health`,
    HEALTH_TIMEOUT: '8',
    FAKE_STATE: state,
    FAKE_PORT: String(port),
  };
}

function stopService(): void {
  if (env) spawnSync(env.SYSTEMCTL as string, ['stop', 'classroom-gateway.service'], { env });
}

afterEach(() => stopService());
afterAll(() => {
  stopService();
  rmSync(root, { recursive: true, force: true });
});

describe('install.sh', () => {
  it('installs, starts, prints the address and first password; a second run changes nothing', async () => {
    freshBox('box-install');
    const bundle = makeBundle('1.0.0');
    const first = run(join(bundle, 'release', 'scripts', 'install', 'install.sh'));
    expect(first.out).toContain('is installed and running');
    expect(first.status).toBe(0);
    expect(first.out).toContain('Admin password  abcd-efgh-jkmn-pqrs');
    expect(first.out).toMatch(/Web page +http:\/\/[\d.]+:\d+\//);
    expect(current()).toBe('releases/1.0.0');
    expect((await health()).version).toBe('1.0.0');
    expect(readFileSync(join(prefix, 'etc', 'systemd', 'system', 'classroom-gateway.service'), 'utf8')).toContain('ExecStart');
    expect(existsSync(join(prefix, 'etc', 'udev', 'rules.d', '99-classroom-gateway.rules'))).toBe(true);
    expect(spawnSync('stat', ['-c', '%a', data()], { encoding: 'utf8' }).stdout.trim()).toBe('750');
    const before = tree(prefix);
    const pid = servicePid();

    const second = run(join(bundle, 'release', 'scripts', 'install', 'install.sh'));
    expect(second.status).toBe(0);
    expect(second.out).toContain('already in');
    expect(second.out).toContain('Admin password  unchanged');
    expect(tree(prefix)).toBe(before);
    expect(servicePid()).toBe(pid); // not restarted

    // The installed copy of the script (no bundle beside it) checks and keeps the same release.
    const fromBox = run(join(opt(), 'current', 'scripts', 'install', 'install.sh'));
    expect(fromBox.out).toContain('against its manifest');
    expect(fromBox.status).toBe(0);
    expect(tree(prefix)).toBe(before);
    const calls = readFileSync(join(state, 'calls'), 'utf8');
    expect(calls.match(/daemon-reload/g)).toHaveLength(1);
    stopService();
  });

  it('fails, naming the problem, when a file of the bundle does not match MANIFEST.sha256', () => {
    freshBox('box-corrupt');
    const bundle = makeBundle('1.0.1');
    writeFileSync(join(bundle, 'release', 'dist', 'gateway', 'main.js'), '// truncated by a bad USB copy\n');
    const r = run(join(bundle, 'release', 'scripts', 'install', 'install.sh'));
    expect(r.status).not.toBe(0);
    expect(r.out).toContain('do not match MANIFEST.sha256');
    expect(existsSync(join(opt(), 'current'))).toBe(false);
  });

  it('refuses a bundle built for the other processor before installing anything', () => {
    freshBox('box-platform');
    const other = process.arch === 'arm64' ? 'x64' : 'arm64';
    const bundle = makeBundle('1.0.2', { platform: `linux-${other}-glibc` });
    const r = run(join(bundle, 'release', 'scripts', 'install', 'install.sh'));
    expect(r.status).not.toBe(0);
    expect(r.out).toContain(`this bundle is for linux-${other}`);
    expect(existsSync(join(opt(), 'releases'))).toBe(false);
  });
});

describe('uninstall.sh', () => {
  it('keeps the data unless --purge', () => {
    freshBox('box-uninstall');
    const bundle = makeBundle('1.1.0');
    expect(run(join(bundle, 'release', 'scripts', 'install', 'install.sh')).status).toBe(0);
    writeFileSync(join(data(), 'settings.json'), '{"version":2}\n');

    const keep = run(join(opt(), 'current', 'scripts', 'install', 'uninstall.sh'));
    expect(keep.status).toBe(0);
    expect(existsSync(opt())).toBe(false);
    expect(existsSync(join(prefix, 'etc', 'systemd', 'system', 'classroom-gateway.service'))).toBe(false);
    expect(existsSync(join(prefix, 'etc', 'udev', 'rules.d', '99-classroom-gateway.rules'))).toBe(false);
    expect(readdirSync(data()).sort()).toEqual(['secrets.json', 'settings.json']);
    expect(existsSync(join(state, 'pid')) && spawnSync('kill', ['-0', servicePid()]).status === 0).toBe(false);

    // Reinstalling finds the kept data: no new password.
    const again = run(join(bundle, 'release', 'scripts', 'install', 'install.sh'));
    expect(again.status).toBe(0);
    expect(again.out).toContain('Admin password  unchanged');

    const purge = run(join(bundle, 'release', 'scripts', 'install', 'uninstall.sh'), ['--purge']);
    expect(purge.status).toBe(0);
    expect(existsSync(data())).toBe(false);
    expect(existsSync(opt())).toBe(false);
    // Twice is fine.
    expect(run(join(bundle, 'release', 'scripts', 'install', 'uninstall.sh'), ['--purge']).status).toBe(0);
  });
});

describe('upgrade.sh', () => {
  it('switches to a healthy release, rolls back from one that exits at once, and keeps the last N', async () => {
    freshBox('box-upgrade');
    const v1 = makeBundle('2.0.0');
    expect(run(join(v1, 'release', 'scripts', 'install', 'install.sh')).status).toBe(0);
    writeFileSync(join(data(), 'settings.json'), '{"version":2}\n');

    const v2 = makeBundle('2.1.0', { tarball: true });
    const up = run(join(opt(), 'current', 'scripts', 'install', 'upgrade.sh'), [v2]);
    expect(up.out).toContain('Upgraded: release 2.1.0 is running');
    expect(up.status).toBe(0);
    expect(current()).toBe('releases/2.1.0');
    expect(readlinkSync(join(opt(), 'previous'))).toBe('releases/2.0.0');
    expect((await health()).version).toBe('2.1.0');
    expect(existsSync(join(opt(), '.incoming'))).toBe(false);

    const broken = makeBundle('2.2.0', { crash: true, tarball: true });
    const started = Date.now();
    const bad = run(join(opt(), 'current', 'scripts', 'install', 'upgrade.sh'), [broken], { HEALTH_TIMEOUT: '4' });
    expect(bad.status).toBe(1);
    expect(bad.out).toContain('fake gateway 2.2.0: crashing'); // the journal tail is shown
    expect(bad.out).toContain('systemd gave classroom-gateway.service up'); // not the whole HEALTH_TIMEOUT
    expect(bad.out).toContain('Rolled back: release 2.1.0 is running again');
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(current()).toBe('releases/2.1.0');
    // The links as before the failed upgrade: a later rollback.sh goes to 2.0.0, not to 2.2.0.
    expect(readlinkSync(join(opt(), 'previous'))).toBe('releases/2.0.0');
    expect((await health()).version).toBe('2.1.0');
    expect(readFileSync(join(data(), 'settings.json'), 'utf8')).toBe('{"version":2}\n');
    expect(readdirSync(data()).sort()).toEqual(['secrets.json', 'settings.json']);

    // The same upgrade again succeeds quietly; a newer one prunes to KEEP_RELEASES (3):
    // current, previous and the newest other.
    expect(run(join(opt(), 'current', 'scripts', 'install', 'upgrade.sh'), [v2]).out).toContain('already current');
    const v3 = makeBundle('2.3.0', { tarball: true });
    const up3 = run(join(opt(), 'current', 'scripts', 'install', 'upgrade.sh'), [v3]);
    expect(up3.status).toBe(0);
    expect(readdirSync(join(opt(), 'releases')).sort()).toEqual(['2.1.0', '2.2.0', '2.3.0']);
    expect(up3.out).toContain('Removing old release 2.0.0');

    // By hand: back to the previous release.
    const back = run(join(opt(), 'current', 'scripts', 'install', 'rollback.sh'));
    expect(back.status).toBe(0);
    expect(current()).toBe('releases/2.1.0');
    expect((await health()).version).toBe('2.1.0');
    stopService();
  });
});
