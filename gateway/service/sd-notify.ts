/**
 * systemd's notification protocol (sd_notify): READY=1, STATUS=, WATCHDOG=1, STOPPING=1.
 *
 * The protocol is one datagram on the AF_UNIX socket named by $NOTIFY_SOCKET. Node cannot send
 * unix datagrams (`net` is stream-only, `dgram` is UDP-only) and we take no native addon for it,
 * so each message is handed to systemd's own `systemd-notify`, which is on every systemd box.
 * Two consequences, both handled in the unit (systemd/classroom-gateway.service):
 * - the sender is a child, not the main PID, so the unit needs `NotifyAccess=all`;
 * - a child that exits before the manager reads its datagram used to have the message dropped
 *   (systemd#2737). Since v246 systemd-notify waits on `BARRIER=1` until the manager has
 *   processed it (unless --no-block), so it is still alive and in our cgroup when it is read.
 *   We do not pass `--pid`: unprivileged, systemd 252 (bookworm) cannot put another PID in the
 *   credentials anyway, and `all` accepts the child.
 * Without $NOTIFY_SOCKET (npm start, tests) every call is a no-op.
 */
import { spawn } from 'node:child_process';
import type { Logger } from '../log/logger.js';

export interface NotifyEnvironment {
  NOTIFY_SOCKET?: string | undefined;
  WATCHDOG_USEC?: string | undefined;
  WATCHDOG_PID?: string | undefined;
}

/** Runs `systemd-notify` with the given arguments; resolves when it has exited. */
export type NotifySender = (args: string[], socket: string) => Promise<void>;

export interface ServiceNotifierOptions {
  logger: Logger;
  /** Defaults to process.env; the notify variables are removed from it (see below). */
  env?: NotifyEnvironment & Record<string, string | undefined>;
  pid?: number;
  send?: NotifySender;
}

export interface ServiceNotifier {
  /** Whether a service manager is listening ($NOTIFY_SOCKET was set). */
  readonly active: boolean;
  /** The ping interval (half of WatchdogSec), or null when no watchdog is asked for. */
  readonly watchdogIntervalMs: number | null;
  ready(status: string): Promise<void>;
  status(status: string): Promise<void>;
  stopping(status: string): Promise<void>;
  close(): void;
}

const systemdNotify: NotifySender = (args, socket) =>
  new Promise((resolve, reject) => {
    const child = spawn('systemd-notify', args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NOTIFY_SOCKET: socket } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`systemd-notify exited with ${code}: ${stderr.trim()}`))));
  });

/**
 * Reads the notify variables once and removes them from the environment, as sd_notify's
 * `unset_environment` does: otherwise every child the gateway starts (ffmpeg, scanimage, and
 * systemd's own tools, which send EXIT_STATUS= since v254) would talk to the manager as us.
 */
export function createServiceNotifier(options: ServiceNotifierOptions): ServiceNotifier {
  const env = options.env ?? process.env;
  const pid = options.pid ?? process.pid;
  const send = options.send ?? systemdNotify;
  const log = options.logger;
  const socket = env.NOTIFY_SOCKET;
  const watchdogUsec = Number(env.WATCHDOG_USEC);
  const watchdogPid = env.WATCHDOG_PID === undefined ? pid : Number(env.WATCHDOG_PID);
  delete env.NOTIFY_SOCKET;
  delete env.WATCHDOG_USEC;
  delete env.WATCHDOG_PID;

  const active = socket !== undefined && socket !== '';
  // The watchdog belongs to the main PID: a copy of the variables inherited by someone else is not ours.
  const watchdogIntervalMs = active && watchdogPid === pid && Number.isFinite(watchdogUsec) && watchdogUsec > 0 ? Math.max(1, Math.floor(watchdogUsec / 2000)) : null;
  let broken = false;
  let timer: NodeJS.Timeout | null = null;
  let pinging = false;

  const notify = async (args: string[]): Promise<void> => {
    if (!active || broken) return;
    try {
      await send(args, socket);
    } catch (err) {
      // Missing binary: nothing will ever get through, so say it once and stop trying.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') broken = true;
      log.warn({ err, args }, broken ? 'systemd-notify not found: the service manager gets no notifications' : 'systemd notification failed');
    }
  };

  const ping = () => {
    // A ping still waiting on the manager must not pile up children; skipping one of two per
    // period still keeps the watchdog fed.
    if (pinging) return;
    pinging = true;
    void notify(['WATCHDOG=1']).finally(() => (pinging = false));
  };

  return {
    active,
    watchdogIntervalMs,
    async ready(status) {
      await notify(['--ready', `--status=${status}`]);
      // The pings ride on the event loop's own timers: a loop stuck in a busy computation or a
      // deadlocked await chain of microtasks sends none, and systemd kills and restarts us.
      if (watchdogIntervalMs !== null && timer === null) {
        timer = setInterval(ping, watchdogIntervalMs);
        timer.unref();
        ping();
      }
    },
    status: (status) => notify([`--status=${status}`]),
    async stopping(status) {
      this.close();
      await notify(['STOPPING=1', `--status=${status}`]);
    },
    close() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
