import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../util/project-root.js';
import { freePort } from './free-port.js';

export interface GatewayProcessOptions {
  /** Settings merged over test defaults (free ports, Node-RED off, quiet logs). */
  settings?: Record<string, unknown>;
  dataDir?: string;
  env?: Record<string, string>;
}

export interface GatewayProcess {
  child: ChildProcess;
  dataDir: string;
  settingsFile: string;
  webPort: number;
  busPort: number;
  baseTopic: string;
  output(): string;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): Promise<number | string>;
}

const MAIN = join(projectRoot(), 'gateway', 'main.ts');
/** By URL: the child runs in its data directory, where a bare `tsx` would not resolve. */
const TSX_LOADER = pathToFileURL(join(projectRoot(), 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

/**
 * Runs the real gateway (gateway/main.ts, as `npm start` does: node with tsx's loader, one
 * process, so a signal reaches the gateway itself) in a child process and waits until it is ready.
 */
export async function startGatewayProcess(options: GatewayProcessOptions = {}): Promise<GatewayProcess> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'gateway-e2e-')));
  const settingsFile = join(dataDir, 'settings.json');
  const webPort = await freePort();
  const busPort = await freePort();
  const settings = {
    version: 2,
    web: { host: '127.0.0.1', port: webPort },
    bus: { port: busPort },
    nodeRed: { enabled: false },
    ...options.settings,
  };
  await writeFile(settingsFile, JSON.stringify(settings, null, 2));
  return launch(dataDir, settingsFile, webPort, busPort, options.env);
}

/** Starts the gateway again on the same data directory and settings (after a crash or a stop). */
export function restartGatewayProcess(previous: GatewayProcess, env?: Record<string, string>): Promise<GatewayProcess> {
  return launch(previous.dataDir, previous.settingsFile, previous.webPort, previous.busPort, env);
}

async function launch(dataDir: string, settingsFile: string, webPort: number, busPort: number, env: Record<string, string> = {}): Promise<GatewayProcess> {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, MAIN, 'start', '--config', settingsFile], {
    cwd: dataDir,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));

  const settings = JSON.parse(await import('node:fs/promises').then((fs) => fs.readFile(settingsFile, 'utf8'))) as {
    topicPrefix?: string;
    school?: { id?: string };
    classroom?: { id?: string };
    gateway?: { id?: string };
  };
  const baseTopic = [settings.topicPrefix ?? 'classroom', settings.school?.id ?? 'demo-school', settings.classroom?.id ?? 'demo-classroom', settings.gateway?.id ?? 'gateway-1'].join('/');

  const ready = await Promise.race([
    new Promise<boolean>((resolve) => {
      const check = () => {
        if (out.includes('"gateway ready"')) resolve(true);
        else setTimeout(check, 50);
      };
      check();
    }),
    exited.then(() => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 30_000)),
  ]);
  if (!ready) {
    child.kill('SIGKILL');
    throw new Error(`gateway did not become ready:\n${out}`);
  }
  return {
    child,
    dataDir,
    settingsFile,
    webPort,
    busPort,
    baseTopic,
    output: () => out,
    exited,
    kill: (signal = 'SIGTERM') => {
      child.kill(signal);
      return exited;
    },
  };
}
