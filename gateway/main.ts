import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Gateway } from './controller.js';
import { createLogger } from './log/logger.js';
import { runServiceCommand, SERVICE_COMMANDS, SERVICE_USAGE } from './service/cli.js';
import { createServiceNotifier } from './service/sd-notify.js';
import { checkConfig, SettingsError } from './settings/index.js';
import { GATEWAY_VERSION } from './version.js';

const USAGE = `classroom gateway ${GATEWAY_VERSION}

usage: gateway [start|check-config|backup|restore|factory-reset] [--config <settings.json>]

  start          run the gateway (default). With no settings file, one with defaults is
                 written: simulated devices, and the uplink loops back to the gateway's own
                 bus, so nothing leaves the box.
  check-config   validate the settings file and exit (0 valid, 1 invalid).
${SERVICE_USAGE}

  --config, -c   settings file (default: $GATEWAY_SETTINGS or ./data/settings.json)
`;

/** A clean stop must finish within this, or systemd would kill us mid-write anyway. */
const STOP_DEADLINE_MS = 5000;

function banner(g: Gateway): string {
  const a = g.addresses;
  const lines = [
    '',
    `  Classroom gateway ${GATEWAY_VERSION} is running.`,
    `  Web page        ${a.web}`,
    ...(a.editor ? [`  Node-RED editor ${a.editor}  (user: admin)`] : []),
    ...(g.generatedAdminPassword ? [`  Admin password  ${g.generatedAdminPassword}   <- shown once; stored only as a hash`] : []),
    `  Local bus       ${a.bus}${a.lan ? `  LAN: ${a.lan}` : ''}`,
    `  District        ${a.district}`,
    `  Topics          ${g.base}/#   (see gateway/contract/README.md)`,
    `  Devices         ${g.devices.list().map((d) => `${d.id} (${d.kind}, ${d.transport}, ${d.state})`).join(', ') || 'none'}`,
    '',
  ];
  return lines.join('\n');
}

/**
 * Under systemd the journal keeps the start-up banner on disk, readable by the adm group: the
 * first admin password is also left in the service's runtime folder (tmpfs, owner-only), where
 * the install script reads it to show the person installing.
 */
async function leaveFirstPassword(password: string | null): Promise<void> {
  const dir = process.env.RUNTIME_DIRECTORY;
  if (!password || !dir) return;
  await writeFile(join(dir.split(':')[0]!, 'first-admin-password'), `${password}\n`, { mode: 0o600 });
}

async function start(settingsFile: string): Promise<void> {
  const logger = createLogger();
  // ONNX Runtime would otherwise keep a telemetry database in $HOME and try to upload it: a
  // school's box sends nothing anywhere but to its district.
  process.env.ORT_DISABLE_TELEMETRY ??= '1';
  // First, before anything spawns a child that would inherit $NOTIFY_SOCKET.
  const notifier = createServiceNotifier({ logger });
  let restarted!: () => void;
  const restartRequested = new Promise<void>((resolveRestart) => (restarted = resolveRestart));
  let gateway: Gateway;
  try {
    gateway = await Gateway.start({ settingsFile, logger, onRestart: () => restarted() });
  } catch (err) {
    if (err instanceof SettingsError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG: systemd shows it, and RestartPreventExitStatus stops a restart loop
    }
    logger.fatal({ err }, 'gateway failed to start');
    process.exit(1);
  }
  process.stderr.write(banner(gateway) + '\n');
  await leaveFirstPassword(gateway.generatedAdminPassword);
  logger.info({ addresses: gateway.addresses }, 'gateway ready');
  await notifier.ready(`running: web ${gateway.addresses.web}, ${gateway.devices.list().length} device(s)`);

  const stop = async (signal: string) => {
    const deadline = setTimeout(() => {
      logger.error('stop took longer than 5 s; exiting anyway');
      process.exit(1);
    }, STOP_DEADLINE_MS);
    deadline.unref();
    // Not awaited: systemd-notify may wait for the manager, and that must not eat the deadline.
    void notifier.stopping(`stopping (${signal})`);
    await gateway.stop(signal);
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  await restartRequested;
  await notifier.stopping('restarting on request');
  if (process.env.INVOCATION_ID) process.exit(0); // under systemd: Restart=always starts us again
  // By hand (npm start): start a fresh process in our place, on the same terminal.
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', detached: true });
  child.unref();
  process.exit(0);
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      help: { type: 'boolean', short: 'h' },
      out: { type: 'string', short: 'o' },
      'with-data': { type: 'boolean' },
      'keep-data': { type: 'boolean' },
      yes: { type: 'boolean' },
    },
  });
  const command = positionals[0] ?? 'start';
  const settingsFile = resolve(values.config ?? process.env.GATEWAY_SETTINGS ?? 'data/settings.json');
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  switch (command) {
    case 'start':
      return start(settingsFile);
    case 'check-config': {
      const result = await checkConfig(settingsFile);
      process.stdout.write(`${result.ok ? result.summary : result.message}\n`);
      process.exit(result.ok ? 0 : 1);
    }
    // eslint-disable-next-line no-fallthrough
    default:
      if (SERVICE_COMMANDS.includes(command)) process.exit(await runServiceCommand(command, positionals.slice(1), values, settingsFile));
      process.stderr.write(`unknown command "${command}"\n\n${USAGE}`);
      process.exit(2);
  }
}

await main();
