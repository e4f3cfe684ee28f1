import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../log/logger.js';
import { createServiceNotifier } from './sd-notify.js';

// A real AF_UNIX datagram socket, as systemd's manager has: prints each datagram on one line.
// recv() without room for ancillary data closes the fd of BARRIER=1, which is what releases
// systemd-notify's wait, as the manager does once it has processed a message.
const RECEIVER = `
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("listening", flush=True)
while True:
    print(s.recv(4096).decode().replace("\\n", "|"), flush=True)
`;

function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

describe('service notifier without systemd', () => {
  it('is a no-op and sends nothing when NOTIFY_SOCKET is unset', async () => {
    const sent: string[][] = [];
    const notifier = createServiceNotifier({ logger: silentLogger(), env: { WATCHDOG_USEC: '30000000' }, send: async (args) => void sent.push(args) });
    expect(notifier.active).toBe(false);
    expect(notifier.watchdogIntervalMs).toBeNull();
    await notifier.ready('up');
    await notifier.stopping('down');
    expect(sent).toEqual([]);
  });

  it('pings at half of WATCHDOG_USEC, only for the PID systemd named, and hides the variables from children', () => {
    const env: Record<string, string | undefined> = { NOTIFY_SOCKET: '/run/x', WATCHDOG_USEC: '30000000', WATCHDOG_PID: '42' };
    expect(createServiceNotifier({ logger: silentLogger(), env, pid: 42, send: async () => {} }).watchdogIntervalMs).toBe(15_000);
    expect(env).toEqual({});
    const other = createServiceNotifier({ logger: silentLogger(), env: { NOTIFY_SOCKET: '/run/x', WATCHDOG_USEC: '30000000', WATCHDOG_PID: '42' }, pid: 43, send: async () => {} });
    expect(other.watchdogIntervalMs).toBeNull();
  });

  it('gives up after one warning when systemd-notify is missing', async () => {
    let calls = 0;
    const notifier = createServiceNotifier({
      logger: silentLogger(),
      env: { NOTIFY_SOCKET: '/run/x' },
      send: async () => {
        calls++;
        throw Object.assign(new Error('spawn systemd-notify ENOENT'), { code: 'ENOENT' });
      },
    });
    await notifier.status('a');
    await notifier.status('b');
    expect(calls).toBe(1);
  });
});

describe('service notifier against a real notify socket', () => {
  let receiver: ChildProcess | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    receiver?.kill();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('delivers READY=1, STATUS= and periodic WATCHDOG=1 through systemd-notify', async () => {
    // CI installs Debian's systemd (systemd-notify) and has python3: a missing one is a failure, not a skip.
    expect(hasCommand('systemd-notify'), 'systemd-notify not found: install Debian package "systemd"').toBe(true);
    expect(hasCommand('python3'), 'python3 not found (it plays the service manager here)').toBe(true);
    dir = await mkdtemp(join(tmpdir(), 'sd-notify-'));
    const socket = join(dir, 'notify');
    const rx = spawn('python3', ['-c', RECEIVER, socket], { stdio: ['ignore', 'pipe', 'inherit'] });
    receiver = rx;
    const lines: string[] = [];
    let buffered = '';
    rx.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      lines.push(...parts);
    });
    await waitFor(() => lines.includes('listening'));

    // 400 ms watchdog: a ping every 200 ms.
    const notifier = createServiceNotifier({ logger: silentLogger(), env: { NOTIFY_SOCKET: socket, WATCHDOG_USEC: '400000' } });
    await notifier.ready('running');
    await waitFor(() => lines.filter((l) => l.includes('WATCHDOG=1')).length >= 3);
    await notifier.stopping('stopping');
    const messages = lines.join('\n');
    expect(messages).toMatch(/READY=1/);
    expect(messages).toMatch(/STATUS=running/);
    expect(messages).toMatch(/STOPPING=1/);
    const afterStop = lines.filter((l) => l.includes('WATCHDOG=1')).length;
    await new Promise((r) => setTimeout(r, 600));
    expect(lines.filter((l) => l.includes('WATCHDOG=1')).length).toBe(afterStop);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
