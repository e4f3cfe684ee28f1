import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../log/logger.js';
import { SettingsError } from './errors.js';
import { defaults, loadSettings, readSettings } from './settings.js';
import { useTempDir } from './test-support/temp-dir.js';

const dir = useTempDir();

async function writeSettings(content: unknown): Promise<string> {
  const file = join(dir.path, 'settings.json');
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

/** The SettingsError message for a file holding `content`. */
async function errorFor(content: unknown): Promise<string> {
  const error = await readSettings(await writeSettings(content)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SettingsError);
  return (error as SettingsError).message;
}

describe('loadSettings', () => {
  it('uses the defaults when there is no file, and writes them there (owner-only) for IT to edit', async () => {
    const file = join(dir.path, 'settings.json');
    const settings = await loadSettings(file, silentLogger());
    expect(settings).toEqual(defaults(file));
    expect(settings.dataDir).toBe(dir.path);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(settings);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await loadSettings(file, silentLogger())).toEqual(settings);
  });

  it('treats an empty file like a missing one', async () => {
    const file = await writeSettings('  \n');
    expect(await loadSettings(file, silentLogger())).toEqual(defaults(file));
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ version: 2, web: { port: 8080 } });
  });

  it('fills in the rest of a partial file without rewriting it, and makes it owner-only', async () => {
    const text = JSON.stringify({ web: { port: 8081 }, school: { id: 'lincoln-high' }, dataDir: 'data' });
    const file = await writeSettings(text);
    const settings = await loadSettings(file, silentLogger());
    expect(settings.web).toEqual({ host: '0.0.0.0', port: 8081 });
    expect(settings.school).toEqual({ id: 'lincoln-high', name: 'Demo School' });
    expect(settings.dataDir).toBe(join(dir.path, 'data'));
    expect(await readFile(file, 'utf8')).toBe(text);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('reads TLS files relative to the settings folder', async () => {
    const file = await writeSettings({ district: { url: 'mqtts://district.example', tls: { ca: 'certs/ca.pem', cert: '/etc/ssl/gw.pem', key: 'gw.key' } } });
    const { tls } = (await readSettings(file)).settings.district;
    expect(tls).toEqual({ ca: join(dir.path, 'certs/ca.pem'), cert: '/etc/ssl/gw.pem', key: join(dir.path, 'gw.key'), rejectUnauthorized: true });
  });

  it('does not write anything when the file is invalid', async () => {
    const file = await writeSettings({ web: { port: 0 } });
    await expect(loadSettings(file, silentLogger())).rejects.toThrow(SettingsError);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ web: { port: 0 } });
    expect(await readdir(dir.path)).toEqual(['settings.json']);
  });
});

describe('invalid settings name the key, what is allowed and what was found', () => {
  it('wrong type', async () => {
    expect(await errorFor({ web: { port: '8080' } })).toContain('web.port: allowed: a whole number from 1 to 65535; found "8080" (remove the quotes)');
    expect(await errorFor({ bus: { lan: { enabled: 'yes' } } })).toContain('bus.lan.enabled: allowed: true or false; found "yes"');
    expect(await errorFor({ web: 8080 })).toContain('web: allowed: an object { ... }; found 8080');
    expect(await errorFor([])).toContain('(top level): allowed: an object { ... }; found a list of 0 items');
  });

  it('out of range', async () => {
    expect(await errorFor({ web: { port: 70000 } })).toContain('web.port: allowed: a whole number from 1 to 65535; found 70000');
    expect(await errorFor({ telemetry: { intervalSeconds: 1 } })).toContain('telemetry.intervalSeconds: allowed: a whole number from 5 to 3600; found 1');
    expect(await errorFor({ outbox: { maxMegabytes: 0.5 } })).toContain('outbox.maxMegabytes: allowed: a whole number from 1 to 1048576; found 0.5');
  });

  it('bad enum', async () => {
    expect(await errorFor({ log: { level: 'verbose' } })).toContain(
      'log.level: allowed: one of "fatal", "error", "warn", "info", "debug", "trace"; found "verbose"',
    );
    expect(await errorFor({ devices: [{ id: 'rfid-1', kind: 'nfc', transport: 'real' }] })).toContain(
      'devices[0].kind: allowed: one of "scanner", "pen-hub", "camera", "card-reader"; found "nfc"',
    );
  });

  it('bad pattern', async () => {
    const message = await errorFor({ school: { id: 'Lincoln/High' } });
    expect(message).toContain("school.id: allowed: lower-case letters a-z, digits, '-' and '_'");
    expect(message).toContain('(pattern ^[a-z0-9][a-z0-9_-]{0,63}$); found "Lincoln/High"');
    expect(await errorFor({ district: { url: 'http://district.example' } })).toMatch(
      /district\.url: allowed: null, or an address starting with mqtt:\/\/, mqtts:\/\/, ws:\/\/ or wss:\/\/.*; found "http:\/\/district.example"/,
    );
  });

  it('unknown key, with a suggestion', async () => {
    expect(await errorFor({ web: { prot: 8080 } })).toContain('web.prot: unknown key (did you mean "port"?); allowed keys here: host, port');
    expect(await errorFor({ mqtt: {} })).toMatch(/^ {2}- mqtt: unknown key; allowed keys here: version, school, .*, log$/m);
  });

  it('missing required key in a list entry', async () => {
    expect(await errorFor({ devices: [{ id: 'cam', transport: 'real' }] })).toContain(
      'devices[0].kind: missing, but required; allowed: one of "scanner", "pen-hub", "camera", "card-reader"',
    );
  });

  it('lists every problem, one per line, under a headline naming the file', async () => {
    const message = await errorFor({ web: { port: -1 }, log: { level: 'loud' }, nodeRed: { enabled: 1 } });
    const [headline, ...lines] = message.split('\n');
    expect(headline).toBe(`${join(dir.path, 'settings.json')} has 3 problems:`);
    expect(lines.map((l) => l.split(':')[0])).toEqual(['  - web.port', '  - nodeRed.enabled', '  - log.level']);
  });

  it('never echoes a password', async () => {
    const message = await errorFor({ district: { password: 12345678, url: 'mqtts://gw:hunter2@district.example', protocol: 4 } });
    expect(message).toContain('district.password: allowed: text; found a number (value hidden)');
    expect(message).not.toContain('12345678');
    expect(await errorFor({ district: { url: 'mqtts://gw:hunter2@district example' } })).not.toContain('hunter2');
  });

  it('rules across keys', async () => {
    const message = await errorFor({
      devices: [
        { id: 'cam', kind: 'camera', transport: 'real' },
        { id: 'cam', kind: 'scanner', transport: 'real' },
      ],
      district: { reconnect: { minSeconds: 30, maxSeconds: 10 }, tls: { cert: 'gw.pem' } },
      bus: { lan: { enabled: true, port: 8080 } },
      nodeRed: { path: '/mqtt' },
    });
    expect(message).toContain('devices[1].id: "cam" is already used by devices[0]; each id must be unique');
    expect(message).toContain('district.reconnect.maxSeconds: allowed: at least district.reconnect.minSeconds (30); found 10');
    expect(message).toContain('district.tls.key: missing, but required because district.tls.cert is set');
    expect(message).toContain('bus.lan.port: port 8080 is already used by web.port');
    expect(message).toContain('nodeRed.path: "/mqtt" is already used by bus.websocket.path');
  });
});

describe('malformed JSON gives line and column', () => {
  it('trailing comma', async () => {
    const message = await errorFor('{\n  "web": {\n    "port": 8081,\n  }\n}\n');
    expect(message).toBe(
      `${join(dir.path, 'settings.json')} is not valid JSON: line 3, column 17: remove this comma: JSON allows no comma before "}"\n` +
        '        "port": 8081,\n' +
        '                    ^',
    );
  });

  it('missing comma, comments, single quotes, bare words, unclosed file', async () => {
    expect(await errorFor('{\n  "a": 1\n  "b": 2\n}')).toContain('line 3, column 3: expected "," or "}", found "\\""');
    expect(await errorFor('{\n  // the district\n}')).toContain('line 2, column 3: comments are not allowed in JSON');
    expect(await errorFor("{'web': {}}")).toContain('line 1, column 2: use double quotes " in JSON, not single quotes');
    expect(await errorFor('{"log": {"level": debug}}')).toContain('line 1, column 19: found debug: text must be in "double quotes"');
    expect(await errorFor('{"web": {"port": 8081}')).toContain('line 1, column 23: the file ends where "," or "}" was expected');
    expect(await errorFor('{"dataDir": "C:\\data"}')).toContain('line 1, column 16: invalid escape after \\');
  });

  it('accepts a byte-order mark', async () => {
    expect((await readSettings(await writeSettings('\uFEFF{"web": {"port": 8081}}'))).settings.web.port).toBe(8081);
  });
});
