import { SettingsError } from './errors.js';

export const CURRENT_VERSION = 2;

type JsonObject = Record<string, unknown>;

/**
 * One upgrade of the file layout. Input values are as found on disk (not yet validated), hence
 * `unknown`: a step moves values to their new keys and lets validation judge them afterwards.
 */
interface Migration<From extends JsonObject> {
  from: number;
  to: number;
  /** Where keys moved, for error messages about an upgraded file. */
  moved: string;
  up: (doc: From) => JsonObject;
}

/** Pre-release layout: one flat object with an `mqtt` block for the district broker. */
interface SettingsV1 extends JsonObject {
  version: 1;
  mqtt?: unknown;
  schoolId?: unknown;
  classroomId?: unknown;
  gatewayId?: unknown;
  webPort?: unknown;
}

const v1ToV2: Migration<SettingsV1> = {
  from: 1,
  to: 2,
  moved: 'mqtt.server → district.url, mqtt.user → district.username, mqtt.password → district.password, mqtt.ca → district.tls.ca, schoolId → school.id, classroomId → classroom.id, gatewayId → gateway.id, webPort → web.port',
  up({ version: _, mqtt, schoolId, classroomId, gatewayId, webPort, ...rest }) {
    // Unknown v1 keys stay where they are, so validation names them instead of dropping them.
    const mqttBlock = isObject(mqtt) ? mqtt : {};
    const { server, user, password, ca, ...mqttRest } = mqttBlock;
    return withoutUndefined({
      ...rest,
      version: 2,
      ...(mqtt !== undefined && !isObject(mqtt) ? { mqtt } : {}),
      school: withoutUndefined({ id: schoolId }),
      classroom: withoutUndefined({ id: classroomId }),
      gateway: withoutUndefined({ id: gatewayId }),
      district: withoutUndefined({
        ...mqttRest,
        url: brokerUrl(server),
        username: user,
        password,
        tls: withoutUndefined({ ca }),
      }),
      web: withoutUndefined({ port: webPort }),
    });
  },
};

/** Oldest first; each step's `to` is the next step's `from`. */
const MIGRATIONS: readonly Migration<never>[] = [v1ToV2];

export interface MigrationResult {
  doc: JsonObject;
  /** The version the file had; CURRENT_VERSION if nothing was done. */
  from: number;
  /** Keys that moved on the way, e.g. "webPort → web.port"; empty if nothing was done. */
  moved: string[];
}

/**
 * Brings a parsed settings document to CURRENT_VERSION. A missing version means the current
 * one (a hand-written minimal file); a version that is not a whole number is left for validation.
 */
export function migrate(doc: JsonObject): MigrationResult {
  const version = doc['version'];
  if (typeof version !== 'number' || !Number.isInteger(version)) return { doc, from: CURRENT_VERSION, moved: [] };
  if (version > CURRENT_VERSION) {
    throw new SettingsError(`settings version ${version} was written by a newer gateway; this one understands versions up to ${CURRENT_VERSION}`);
  }
  let current = doc;
  const moved: string[] = [];
  for (let v = version; v < CURRENT_VERSION; ) {
    const step = MIGRATIONS.find((m) => m.from === v);
    if (step === undefined) throw new SettingsError(`settings version ${version} is unknown; versions 1 to ${CURRENT_VERSION} can be read`);
    current = step.up(current as never);
    moved.push(step.moved);
    v = step.to;
  }
  return { doc: current, from: version, moved };
}

/** v1 accepted mqtt.js's tcp:// and ssl:// aliases, and "" for "no broker". */
function brokerUrl(server: unknown): unknown {
  if (server === '') return null;
  if (typeof server !== 'string') return server;
  return server.replace(/^tcp:\/\//i, 'mqtt://').replace(/^(ssl|tls):\/\//i, 'mqtts://');
}

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function withoutUndefined(obj: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}
