/** The box-maintenance subcommands of gateway/main.ts: backup, restore, factory-reset. */
import { connect } from 'node:net';
import { readSettings, SettingsError } from '../settings/index.js';
import { createBackup } from './backup.js';
import { factoryReset } from './factory-reset.js';
import { restoreBackup } from './restore.js';

export const SERVICE_COMMANDS: readonly string[] = ['backup', 'restore', 'factory-reset'];

export const SERVICE_USAGE = `  backup --out <file.tar.gz> [--with-data]
                 save settings, secrets, Node-RED flows and credentials, assignments,
                 rosters, paper map and exercises; --with-data adds outbox, scans, reports.
  restore <file.tar.gz>
                 check the backup's settings, then swap everything in (the previous
                 versions are kept as *.bak). Stop the gateway first.
  factory-reset --yes [--keep-data]
                 remove settings, secrets and flows (the next start writes defaults and
                 prints a new admin password) and, without --keep-data, all data too.
  Under systemd run these as the service user: sudo -u classroom-gw ... (see systemd/README.md).`;

export interface ServiceCommandFlags {
  out?: string | undefined;
  'with-data'?: boolean | undefined;
  'keep-data'?: boolean | undefined;
  yes?: boolean | undefined;
}

/** Runs one subcommand; returns the exit code (0 done, 1 refused or failed, 2 bad usage). */
export async function runServiceCommand(command: string, args: string[], flags: ServiceCommandFlags, settingsFile: string): Promise<number> {
  try {
    switch (command) {
      case 'backup': {
        if (!flags.out) return usage('backup needs --out <file.tar.gz>');
        const manifest = await createBackup({ settingsFile, out: flags.out, withData: flags['with-data'] === true });
        say(`Backup written to ${flags.out}: settings.json, ${manifest.entries.join(', ') || 'no data-folder entries'}.`);
        return 0;
      }
      case 'restore': {
        const archive = args[0];
        if (!archive) return usage('restore needs the backup file: restore <file.tar.gz>');
        await refuseIfRunning(settingsFile);
        const result = await restoreBackup({ settingsFile, archive });
        say(`Restored the backup of ${result.manifest.createdAt} (gateway ${result.manifest.gatewayVersion}):`);
        for (const path of result.restored) say(`  ${path}   (previous: ${path}.bak)`);
        say('Start the gateway to use it.');
        return 0;
      }
      case 'factory-reset': {
        if (!flags.yes) return usage('factory-reset removes this box\'s settings, secrets and flows (and without --keep-data all its data): add --yes to confirm.');
        await refuseIfRunning(settingsFile);
        const removed = await factoryReset({ settingsFile, keepData: flags['keep-data'] === true });
        say(removed.length ? `Removed:\n${removed.map((p) => `  ${p}`).join('\n')}` : 'Nothing to remove: already as installed.');
        say('The next start writes default settings and prints a new admin password.');
        return 0;
      }
      default:
        return usage(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof SettingsError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (typeof code === 'string') {
      process.stderr.write(`${command} failed: ${(err as Error).message}\n`);
      return 1;
    }
    throw err;
  }
}

/**
 * Swapping files under a running gateway would have it overwrite them (or crash half-way):
 * if something answers on its web port, it is running.
 */
async function refuseIfRunning(settingsFile: string): Promise<void> {
  const web = await readSettings(settingsFile).then(
    (state) => state.settings.web,
    () => ({ host: '127.0.0.1', port: 8080 }),
  );
  const host = web.host === '0.0.0.0' || web.host === '::' ? '127.0.0.1' : web.host;
  const answers = await new Promise<boolean>((resolve) => {
    const socket = connect({ host, port: web.port, timeout: 1000 });
    const done = (running: boolean) => {
      socket.destroy();
      resolve(running);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
  if (answers) throw new SettingsError(`The gateway seems to be running (${host}:${web.port} answers). Stop it first: sudo systemctl stop classroom-gateway`);
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function usage(message: string): number {
  process.stderr.write(`${message}\n`);
  return 2;
}
