/**
 * The validated settings, as the rest of the gateway sees them: every default filled in, and
 * path-valued keys (dataDir, district.tls.*) made absolute. Mirrors settings.schema.json; the
 * schema test fails when the two drift apart.
 */

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
export type MqttProtocol = 'auto' | '5' | '3.1.1';
export type BusRole = 'admin' | 'device' | 'viewer';
export type DeviceKind = 'scanner' | 'pen-hub' | 'camera' | 'rfid';
export type DeviceTransport = 'real' | 'simulated';

export interface BusUser {
  username: string;
  /** bcrypt hash, never the password. */
  passwordHash: string;
  role: BusRole;
  /** Devices a `device` account speaks for. */
  deviceIds: string[];
}

export interface DeviceSettings {
  id: string;
  kind: DeviceKind;
  transport: DeviceTransport;
  enabled: boolean;
  /** Driver-specific; each driver validates its own. */
  options: Record<string, unknown>;
}

export interface Settings {
  version: 2;
  school: { id: string; name: string };
  classroom: { id: string; name: string };
  gateway: { id: string };
  topicPrefix: string;
  district: {
    /** null: no district, the uplink loops back to the local bus. */
    url: string | null;
    protocol: MqttProtocol;
    username?: string;
    password?: string;
    tls: { ca?: string; cert?: string; key?: string; rejectUnauthorized: boolean };
    keepaliveSeconds: number;
    reconnect: { minSeconds: number; maxSeconds: number };
  };
  outbox: { maxMegabytes: number; telemetryMaxAgeHours: number };
  bus: {
    host: string;
    port: number;
    allowAnonymousLoopback: boolean;
    lan: { enabled: boolean; host: string; port: number };
    websocket: { enabled: boolean; path: string };
    users: BusUser[];
  };
  web: { host: string; port: number };
  nodeRed: { enabled: boolean; path: string };
  telemetry: { intervalSeconds: number };
  devices: DeviceSettings[];
  /** Absolute. */
  dataDir: string;
  retention: { scansDays: number; resultsDays: number };
  /** uploadCrops: student handwriting leaves the box only when this is on. */
  homework: { uploadCrops: boolean };
  /** students: which pen (Bluetooth address) a student writes with. */
  pens: { students: { pen: string; student: string }[]; teacherPens: string[]; idleAfterSeconds: number; breakAfterMinutes: number; pageSettleSeconds: number };
  mirror: MirrorSettings;
  log: { level: LogLevel };
}

export interface MirrorSettings {
  programme: { exercise: string; reps: number }[];
  allowAnonymous: boolean;
  anonymousAfterSeconds: number;
  leaveAfterSeconds: number;
  restSeconds: number;
  /** card: the UID a card reader reports, hex. */
  cards: { card: string; student: string }[];
  debugSaveFrames: boolean;
}
