import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../log/logger.js';
import { SettingsError } from './errors.js';
import { loadSecrets } from './secrets.js';
import { useTempDir } from './test-support/temp-dir.js';

const dir = useTempDir();

describe('loadSecrets', () => {
  it('generates the secrets once, returns the admin password that once, and stores only its hash', async () => {
    const first = await loadSecrets(dir.path, silentLogger());
    const file = join(dir.path, 'secrets.json');
    expect(first.file).toBe(file);
    expect(first.generatedAdminPassword).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    expect(await bcrypt.compare(first.generatedAdminPassword ?? '', first.secrets.adminPasswordHash)).toBe(true);
    expect(first.secrets.nodeRedCredentialSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(first.secrets.internalBusPassword.length).toBeGreaterThanOrEqual(32);

    const text = await readFile(file, 'utf8');
    expect(JSON.parse(text)).toEqual(first.secrets);
    expect(text).not.toContain(first.generatedAdminPassword);
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    const again = await loadSecrets(dir.path, silentLogger());
    expect(again).toEqual({ ...first, generatedAdminPassword: null });
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it('gives a new admin password when IT deletes the hash, keeping the other secrets', async () => {
    const first = await loadSecrets(dir.path, silentLogger());
    const file = join(dir.path, 'secrets.json');
    const { adminPasswordHash: _, ...rest } = first.secrets;
    await writeFile(file, JSON.stringify(rest));

    const reset = await loadSecrets(dir.path, silentLogger());
    expect(reset.generatedAdminPassword).not.toBeNull();
    expect(reset.generatedAdminPassword).not.toBe(first.generatedAdminPassword);
    expect(reset.secrets).toEqual({ ...first.secrets, adminPasswordHash: reset.secrets.adminPasswordHash });
    expect(await bcrypt.compare(reset.generatedAdminPassword ?? '', reset.secrets.adminPasswordHash)).toBe(true);
  });

  it('makes a copied-in secrets file owner-only', async () => {
    const { secrets } = await loadSecrets(dir.path, silentLogger());
    const file = join(dir.path, 'secrets.json');
    await chmod(file, 0o644);
    expect((await loadSecrets(dir.path, silentLogger())).secrets).toEqual(secrets);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('refuses, without touching the file, a secret that is damaged', async () => {
    const file = join(dir.path, 'secrets.json');
    const damaged = JSON.stringify({ nodeRedCredentialSecret: 'abc123', adminPasswordHash: 'plain-text-password' });
    await writeFile(file, damaged);
    const error = await loadSecrets(dir.path, silentLogger()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SettingsError);
    expect((error as SettingsError).message).toBe(
      [
        `${file} has 2 problems:`,
        '  - adminPasswordHash: allowed: a bcrypt hash: $2b$, two digits, $, then 53 characters (delete the line to get a new admin password) (pattern ^\\$2[aby]\\$[0-9]{2}\\$[./A-Za-z0-9]{53}$); found text (value hidden)',
        '  - nodeRedCredentialSecret: allowed: 64 hexadecimal digits (pattern ^[0-9a-f]{64}$); found text (value hidden)',
      ].join('\n'),
    );
    expect(await readFile(file, 'utf8')).toBe(damaged);
  });
});
