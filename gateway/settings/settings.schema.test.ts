import { describe, expect, it } from 'vitest';
import { createAjv } from './ajv.js';
import { describeSettings } from './describe.js';
import { resolveRef, settingsSchema, type SchemaNode } from './schema-node.js';
import { defaults } from './settings.js';
import type { Settings } from './types.js';

type DeepRequired<T> = T extends (infer U)[] ? DeepRequired<U>[] : T extends object ? { [K in keyof T]-?: DeepRequired<T[K]> } : T;

/**
 * Every key of the Settings interface, optional ones included. The compiler rejects a missing or
 * extra key here; the test below rejects a key the schema lacks or has in addition.
 */
const everyKey: DeepRequired<Settings> = {
  version: 2,
  school: { id: 's', name: 'S' },
  classroom: { id: 'c', name: 'C' },
  gateway: { id: 'g' },
  topicPrefix: 'classroom',
  district: {
    url: 'mqtts://district.example:8883',
    protocol: '5',
    username: 'u',
    password: 'p',
    tls: { ca: '/ca.pem', cert: '/cert.pem', key: '/key.pem', rejectUnauthorized: true },
    keepaliveSeconds: 30,
    reconnect: { minSeconds: 1, maxSeconds: 60 },
  },
  outbox: { maxMegabytes: 256, telemetryMaxAgeHours: 48 },
  bus: {
    host: '127.0.0.1',
    port: 1883,
    allowAnonymousLoopback: true,
    lan: { enabled: true, host: '0.0.0.0', port: 1884 },
    websocket: { enabled: true, path: '/mqtt' },
    users: [{ username: 'pen', passwordHash: `$2b$10$${'a'.repeat(53)}`, role: 'device', deviceIds: ['pens-1'] }],
  },
  web: { host: '0.0.0.0', port: 8080 },
  nodeRed: { enabled: true, path: '/admin' },
  telemetry: { intervalSeconds: 60 },
  devices: [{ id: 'pens-1', kind: 'pen-hub', transport: 'real', enabled: true, options: {} }],
  dataDir: '/var/lib/gateway',
  retention: { scansDays: 30, resultsDays: 365 },
  homework: { uploadCrops: false },
  pens: { students: [{ pen: '9C:7B:D2:00:11:22', student: 's01' }], teacherPens: ['9C:7B:D2:00:11:99'], idleAfterSeconds: 60, breakAfterMinutes: 15, pageSettleSeconds: 20 },
  mirror: { programme: [{ exercise: 'squat', reps: 10 }], allowAnonymous: true, anonymousAfterSeconds: 3, leaveAfterSeconds: 6, restSeconds: 4, cards: [{ card: '0A1B2C3D', student: 's01' }], debugSaveFrames: false },
  log: { level: 'info' },
};

/** Paths as describeSettings() spells them: lists by name, keys of their entries as `list[].key`. */
function keyPaths(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) {
    const first: unknown = value[0];
    return [path, ...(first !== null && typeof first === 'object' && !Array.isArray(first) ? keyPaths(first, `${path}[]`) : [])];
  }
  if (value !== null && typeof value === 'object' && Object.keys(value).length > 0) {
    return Object.entries(value).flatMap(([key, child]) => keyPaths(child, path === '' ? key : `${path}.${key}`));
  }
  return [path];
}

function valueAt(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], obj);
}

/** Every property node of the schema, with its path. */
function propertyNodes(raw: SchemaNode = settingsSchema, path = ''): [string, SchemaNode][] {
  const node = resolveRef(raw);
  const children = Object.entries(node.properties ?? {}).flatMap(([key, child]) => {
    const childPath = path === '' ? key : `${path}.${key}`;
    return [[childPath, resolveRef(child)] as [string, SchemaNode], ...propertyNodes(child, childPath)];
  });
  return node.items === undefined ? children : [...children, ...propertyNodes(node.items, `${path}[]`)];
}

describe('settings schema', () => {
  it('has exactly the keys of the Settings interface, and accepts a value for each', () => {
    expect(keyPaths(everyKey).sort()).toEqual(describeSettings().map((d) => d.path).sort());
    const validate = createAjv().compile(settingsSchema);
    expect(validate(structuredClone(everyKey)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('gives a complete, valid configuration from nothing, equal to the documented defaults', () => {
    const settings = defaults('/etc/gateway/settings.json');
    expect(settings.dataDir).toBe('/etc/gateway');
    const validate = createAjv().compile(settingsSchema);
    expect(validate(structuredClone(settings)), JSON.stringify(validate.errors)).toBe(true);

    const optional = ['district.username', 'district.password', 'district.tls.ca', 'district.tls.cert', 'district.tls.key'];
    for (const entry of describeSettings().filter((d) => !d.path.includes('[]'))) {
      if (optional.includes(entry.path)) {
        expect(entry.default, entry.path).toBeUndefined();
        expect(valueAt(settings, entry.path), entry.path).toBeUndefined();
      } else if (entry.path !== 'dataDir') {
        expect(entry, entry.path).toHaveProperty('default');
        // toMatchObject: entries of the default device list gain their own defaults (enabled, options).
        expect(valueAt(settings, entry.path), entry.path).toMatchObject(entry.default as object);
      }
    }
    expect(settings.devices.map((d) => [d.id, d.kind, d.transport, d.enabled])).toEqual([
      ['scanner-1', 'scanner', 'simulated', true],
      ['pen-hub-1', 'pen-hub', 'simulated', true],
      ['camera-1', 'camera', 'simulated', true],
    ]);
  });

  it('describes every key and closes every object except driver options', () => {
    const nodes = propertyNodes();
    expect(nodes.length).toBeGreaterThan(50);
    for (const [path, node] of nodes) {
      expect(node.description?.length ?? 0, `${path} needs a description`).toBeGreaterThan(10);
      if (node.type === 'object') expect(node.additionalProperties, path).toBe(path === 'devices[].options');
    }
  });

  it('marks every key restart-required except the log level, telemetry interval, retention, crop upload, most pen settings and the mirror settings', () => {
    const hot = describeSettings().filter((d) => !d.restartRequired).map((d) => d.path);
    expect(hot).toEqual([
      'telemetry.intervalSeconds',
      'retention.scansDays',
      'retention.resultsDays',
      'homework.uploadCrops',
      'pens.students',
      'pens.students[].pen',
      'pens.students[].student',
      'pens.teacherPens',
      'pens.breakAfterMinutes',
      'pens.pageSettleSeconds',
      'mirror.programme',
      'mirror.programme[].exercise',
      'mirror.programme[].reps',
      'mirror.allowAnonymous',
      'mirror.anonymousAfterSeconds',
      'mirror.leaveAfterSeconds',
      'mirror.restSeconds',
      'mirror.cards',
      'mirror.cards[].card',
      'mirror.cards[].student',
      'mirror.debugSaveFrames',
      'log.level',
    ]);
  });
});
