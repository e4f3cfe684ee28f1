import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

/**
 * A real Mosquitto 2 broker on 127.0.0.1 for tests: its own temp dir, config and an ephemeral
 * port, so tests of several engineers can run side by side on one machine.
 */

export interface MosquittoTlsOptions {
  caFile: string;
  certFile: string;
  keyFile: string;
  /** Only clients with a certificate signed by caFile may connect. */
  requireClientCert?: boolean;
}

export interface MosquittoOptions {
  tls?: MosquittoTlsOptions;
  /** A mosquitto_passwd file (see writePasswordFile); anonymous clients are refused when set. */
  passwordFile?: string;
  persistence?: boolean;
  /** Work dir (config, persistence, log); a fresh temp dir when omitted. */
  dir?: string;
  /** More mosquitto.conf lines for the listener, e.g. `max_inflight_messages 100`. */
  extraConfig?: string[];
  /** A fixed port (e.g. one a gateway was already told about); a free one when omitted. */
  port?: number;
}

export interface MosquittoBroker {
  port: number;
  /** mqtt://127.0.0.1:<port> or mqtts://localhost:<port> (localhost so the TLS host name check has a name to match). */
  url: string;
  dir: string;
  /** Signals the broker (SIGTERM: it saves its persistence file first) and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port with the same config and persistence dir. */
  restart(): Promise<void>;
  /** SIGKILL: no persistence save, sockets reset. */
  kill(): Promise<void>;
  /** Stops the broker and removes its dir if this helper created it. */
  dispose(): Promise<void>;
  /** The broker's recent log lines, for failure messages. */
  log(): string;
}

const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

export async function startMosquitto(options: MosquittoOptions = {}): Promise<MosquittoBroker> {
  assertMosquittoInstalled();
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'mosquitto-')));
  const confFile = join(dir, 'mosquitto.conf');
  let logLines: string[] = [];
  let child: ChildProcess | null = null;
  // A test worker that dies must not leave brokers behind on a machine others share.
  const killOnExit = (): void => void child?.kill('SIGKILL');
  process.once('exit', killOnExit);

  // The port is free when we probe it but another process may take it before mosquitto binds
  // it; mosquitto then exits at once, and we try a fresh port.
  let port = 0;
  for (let attempt = 1; ; attempt++) {
    port = options.port ?? (await freePort());
    await writeFile(confFile, mosquittoConf(port, dir, options));
    try {
      child = await spawnReady();
      break;
    } catch (err) {
      if (options.port === undefined && attempt < 3 && /Address already in use/i.test(logLines.join('\n'))) continue;
      process.off('exit', killOnExit);
      if (ownDir) await rm(dir, { recursive: true, force: true });
      throw err;
    }
  }

  async function spawnReady(): Promise<ChildProcess> {
    logLines = [];
    const proc = spawn('mosquitto', ['-c', confFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (chunk: Buffer): void => {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      if (logLines.length > 200) logLines = logLines.slice(-200);
    };
    proc.stdout?.on('data', collect);
    proc.stderr?.on('data', collect);
    await waitUntilListening(proc, port, () => logLines.join('\n'));
    return proc;
  }

  async function stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(signal);
    const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  return {
    port,
    url: options.tls ? `mqtts://localhost:${port}` : `mqtt://127.0.0.1:${port}`,
    dir,
    stop,
    kill: () => stop('SIGKILL'),
    async restart() {
      await stop();
      child = await spawnReady();
    },
    async dispose() {
      await stop();
      process.off('exit', killOnExit);
      if (ownDir) await rm(dir, { recursive: true, force: true });
    },
    log: () => logLines.join('\n'),
  };
}

/** Writes a password file with mosquitto_passwd (it hashes the passwords the way the broker expects). */
export async function writePasswordFile(file: string, users: Record<string, string>): Promise<void> {
  await writeFile(file, '');
  for (const [user, password] of Object.entries(users)) {
    const result = spawnSync('mosquitto_passwd', ['-b', file, user, password], { encoding: 'utf8' });
    if (result.error || result.status !== 0) {
      throw new Error(`mosquitto_passwd failed: ${result.error?.message ?? result.stderr} (apt-get install mosquitto)`);
    }
  }
}

function mosquittoConf(port: number, dir: string, options: MosquittoOptions): string {
  const lines = [
    // Mosquitto 2 started as root switches to the `mosquitto` user, which can neither read our
    // 0700 temp dir nor write the persistence file there; test containers often run as root.
    ...(process.getuid?.() === 0 ? ['user root'] : []),
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    'log_type notice',
    'log_type information',
    // Tests count every message: the default cap of 1000 queued per subscriber would drop some
    // while a subscriber is slower than the publisher, which is not what is under test.
    'max_queued_messages 0',
    `listener ${port} 127.0.0.1`,
  ];
  if (options.tls) {
    lines.push(`cafile ${options.tls.caFile}`, `certfile ${options.tls.certFile}`, `keyfile ${options.tls.keyFile}`);
    lines.push(`require_certificate ${options.tls.requireClientCert ? 'true' : 'false'}`);
  }
  if (options.passwordFile) {
    lines.push('allow_anonymous false', `password_file ${options.passwordFile}`);
  } else {
    lines.push('allow_anonymous true');
  }
  if (options.persistence) {
    // The trailing slash matters: mosquitto appends the file name without a separator.
    lines.push('persistence true', `persistence_location ${dir}/`);
  }
  lines.push(...(options.extraConfig ?? []));
  return lines.join('\n') + '\n';
}

function assertMosquittoInstalled(): void {
  const probe = spawnSync('mosquitto', ['-h'], { encoding: 'utf8' });
  if (probe.error && (probe.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error('the mosquitto broker is not installed (or not on PATH): apt-get install mosquitto mosquitto-clients');
  }
}

async function waitUntilListening(proc: ChildProcess, port: number, log: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let spawnError: Error | null = null;
  proc.once('error', (err) => (spawnError = err));
  for (;;) {
    if (spawnError) throw new Error(`could not start mosquitto: ${(spawnError as Error).message}`);
    if (proc.exitCode !== null || proc.signalCode !== null) {
      throw new Error(`mosquitto exited (${proc.exitCode ?? proc.signalCode}) before listening on ${port}:\n${log()}`);
    }
    if (await acceptsConnections(port)) return;
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`mosquitto did not listen on ${port} within ${READY_TIMEOUT_MS} ms:\n${log()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
