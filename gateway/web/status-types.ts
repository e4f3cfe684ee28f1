import type { PenLive } from '../contract/types.generated.js';
import type { MirrorSummary } from '../mirror/mirror-pipeline.js';

export type { MirrorSummary };

/**
 * What the gateway page and GET /api/status show. The LAN may read it without logging in, so it
 * holds no message payloads (results carry student data): messages appear as topic, schema and size.
 * Times are ISO-8601 strings, durations milliseconds unless named otherwise.
 */
export interface StatusSnapshot {
  gateway: GatewayInfo;
  uplink: UplinkInfo;
  outbox: OutboxInfo;
  devices: DeviceInfo[];
  alarms: AlarmInfo[];
  /** Newest first; the page shows them as they come. */
  recentMessages: MessageSummary[];
  /** Assignments with scanned pages; student names and wrong questions only after login (see api.ts). */
  homework?: HomeworkSummary[];
  /** The smart pens' live class view; per-student rows only after login. */
  pens?: PensSummary;
  /** The magic mirrors: each one's state and counts; who is in front of it only after login. */
  mirrors?: MirrorSummary[];
  links: {
    /**
     * Path (preferred, e.g. '/admin/') or URL of the Node-RED editor, null when it is disabled.
     * The page swaps a loopback host in a URL for its own, so a phone on the LAN can follow it.
     */
    editor: string | null;
    /** URL of the local MQTT bus over WebSocket, for classroom tools; null when not offered. */
    mqttWebSocket: string | null;
  };
}

export interface GatewayInfo {
  /** Identity as configured, e.g. { district: 'd1', school: 's7', room: 'r12', gateway: 'gw-r12' }. */
  ids: Record<string, string>;
  version: string;
  uptimeSeconds: number;
  startedAt: string;
}

/**
 * 'loopback': no district broker configured, messages stay on the box (standalone classroom);
 * a healthy state like 'connected'.
 */
export type UplinkState = 'connected' | 'connecting' | 'disconnected' | 'loopback';

export interface UplinkInfo {
  state: UplinkState;
  /** Broker URL without credentials. */
  url: string | null;
  /** e.g. 'mqtts' or 'wss'. */
  protocol: string | null;
  connectedSince: string | null;
  lastError: string | null;
}

/** Mirrors the durable outbox's pressure levels (gateway/uplink/outbox). */
export type OutboxPressure = 'normal' | 'high' | 'full';

export interface OutboxInfo {
  depthMessages: number;
  depthBytes: number;
  /** Age of the oldest message not yet acknowledged by the district; null when empty. */
  oldestAgeMs: number | null;
  pressure: OutboxPressure;
}

/** As the device layer reports them (gateway/devices/device.ts). */
export type DeviceState = 'stopped' | 'starting' | 'ready' | 'busy' | 'error' | 'disconnected';

export interface DeviceInfo {
  id: string;
  /** e.g. 'scanner', 'pen', 'camera'. */
  kind: string;
  /** e.g. 'real' or 'simulated'. */
  transport: string;
  state: DeviceState;
  /** One human-readable line, e.g. what it is doing or the last error. */
  detail: string | null;
  /**
   * The device's own actions available now (e.g. 'scan'). The page runs one through the server
   * action 'device' (POST /api/actions/device with { deviceId, action }).
   */
  actions?: string[];
}

export type AlarmSeverity = 'info' | 'warning' | 'critical';

export interface AlarmInfo {
  code: string;
  severity: AlarmSeverity;
  message: string;
  since: string;
}

export interface MessageSummary {
  at: string;
  topic: string;
  /** Payload schema and version, e.g. 'health/1'. */
  schema: string;
  bytes: number;
  direction: 'out' | 'in';
}

export type HealthStatus = 'ok' | 'degraded' | 'down';

export interface HealthCheck {
  ok: boolean;
  /** Why, in a few words, for whoever reads the monitoring. */
  detail: string;
}

export interface HealthReport {
  status: HealthStatus;
  checks: { snapshot: HealthCheck; uplink: HealthCheck; outbox: HealthCheck; devices: HealthCheck };
}

export interface HomeworkSummary {
  assignmentId: string;
  title: string;
  classId: string | null;
  pagesRead: number;
  handedIn: number;
  missing: number;
  /** Fields the reader left to the teacher. */
  needsReview: number;
  /** Students with pages, for the wrong-question book links. */
  students: string[];
}

export interface BurdenSummary {
  assignmentId: string;
  /** National limit for the grade in minutes; null when there is none. */
  limitMinutes: number | null;
  students: number;
  p50Minutes: number;
  p90Minutes: number;
  maxMinutes: number;
  /** null when the grade has no limit. */
  overLimitShare: number | null;
}

export interface PensSummary {
  connected: number;
  ready: number;
  writing: number;
  idle: number;
  /** As in the pen-live message. */
  students: PenLive['students'];
  burden: BurdenSummary[];
}
