import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../log/logger.js';
import { SettingsError } from './errors.js';
import { migrate } from './migrations.js';
import { defaults, loadSettings, readSettings } from './settings.js';
import { useTempDir } from './test-support/temp-dir.js';

const dir = useTempDir();

const v1 = {
  version: 1,
  mqtt: { server: 'mqtts://mqtt.district.example:8883', user: 'gw-lincoln-204', password: 's3cret', ca: 'district-ca.pem' },
  schoolId: 'lincoln-high',
  classroomId: 'room-204',
  gatewayId: 'gw-a',
  webPort: 80,
};

describe('migration v1 → v2', () => {
  it('moves every v1 key to its v2 place', () => {
    const { doc, from } = migrate(structuredClone(v1));
    expect(from).toBe(1);
    expect(doc).toEqual({
      version: 2,
      school: { id: 'lincoln-high' },
      classroom: { id: 'room-204' },
      gateway: { id: 'gw-a' },
      district: { url: 'mqtts://mqtt.district.example:8883', username: 'gw-lincoln-204', password: 's3cret', tls: { ca: 'district-ca.pem' } },
      web: { port: 80 },
    });
  });

  it("turns mqtt.js's tcp:// and ssl:// into mqtt:// and mqtts://, and an empty server into no district", () => {
    const url = (server: string) => (migrate({ version: 1, mqtt: { server } }).doc['district'] as { url: unknown }).url;
    expect(url('tcp://10.0.0.5:1883')).toBe('mqtt://10.0.0.5:1883');
    expect(url('ssl://broker:8883')).toBe('mqtts://broker:8883');
    expect(url('')).toBeNull();
  });

  it('leaves a current or version-less document alone, and refuses unknown versions', () => {
    const current = { version: 2, web: { port: 81 } };
    expect(migrate(current)).toEqual({ doc: current, from: 2, moved: [] });
    expect(migrate({ web: {} }).from).toBe(2);
    expect(() => migrate({ version: 3 })).toThrow(/version 3 was written by a newer gateway/);
    expect(() => migrate({ version: 0 })).toThrow(SettingsError);
  });

  it('on load, saves the upgraded file and keeps the old one as a backup', async () => {
    const file = join(dir.path, 'settings.json');
    const original = JSON.stringify(v1);
    await writeFile(file, original);
    const settings = await loadSettings(file, silentLogger());
    expect(settings).toEqual({
      ...defaults(file),
      school: { id: 'lincoln-high', name: 'Demo School' },
      classroom: { id: 'room-204', name: 'Demo Classroom' },
      gateway: { id: 'gw-a' },
      district: { ...defaults(file).district, url: v1.mqtt.server, username: 'gw-lincoln-204', password: 's3cret', tls: { ca: join(dir.path, 'district-ca.pem'), rejectUnauthorized: true } },
      web: { host: '0.0.0.0', port: 80 },
    });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(settings);
    expect(await readFile(`${file}.v1.bak`, 'utf8')).toBe(original);
    expect((await stat(`${file}.v1.bak`)).mode & 0o777).toBe(0o600);
    expect((await readSettings(file)).migratedFrom).toBeNull();
  });

  it('names the v2 keys, and where they came from, when a migrated file is invalid', async () => {
    const file = join(dir.path, 'settings.json');
    await writeFile(file, JSON.stringify({ ...v1, webPort: 'eighty', unused: true }));
    const message = await readSettings(file).then(
      () => '',
      (e: Error) => e.message,
    );
    expect(message).toContain('(a version 1 file, checked as version 2, where mqtt.server → district.url');
    expect(message).toContain('webPort → web.port');
    expect(message).toContain('  - web.port: allowed: a whole number from 1 to 65535; found "eighty"');
    expect(message).toContain('  - unused: unknown key');
  });
});
