import type { Priority } from '../uplink/outbox/types.js';
import type {
  Alarm,
  Availability,
  ClassReportMessage,
  HomeworkBurden,
  FlowMessage,
  MirrorCheckin,
  MirrorLive,
  MirrorRep,
  MirrorSession,
  PenLive,
  PenPage,
  PenStroke,
  ScanPage,
  DeviceEvent,
  DeviceState,
  Health,
  Request,
  Response,
} from './types.generated.js';

/**
 * The message contract: every topic the gateway publishes or listens to, relative to
 * `<prefix>/<school>/<classroom>/<gateway>/`. Code publishes by message name, never by
 * hand-built topic strings, so the map below, the JSON Schemas and the district's page
 * (README.md here, generated from this file) cannot drift apart.
 */
export interface MessageSpec {
  /** Relative topic; `{name}` segments are filled in by the publisher. */
  readonly topic: string;
  /** `<schema file stem>/<major version>`. */
  readonly schema: string;
  /** `local`: published on the gateway's own bus only, never to the district (not enveloped). */
  readonly direction: 'out' | 'in' | 'local';
  /** Outgoing messages go through the durable outbox in an envelope, except the availability will. */
  readonly enveloped: boolean;
  readonly priority: Priority | null;
  readonly retain: boolean;
  readonly summary: string;
}

export const messages = {
  availability: {
    topic: 'availability',
    schema: 'availability/1',
    direction: 'out',
    enveloped: false,
    priority: null,
    retain: true,
    summary: 'Retained `online`/`offline`; `offline` is the Last Will.',
  },
  health: {
    topic: 'health',
    schema: 'health/1',
    direction: 'out',
    enveloped: true,
    priority: 'telemetry',
    retain: false,
    summary: 'Telemetry every `telemetry.intervalSeconds`: CPU, memory, temperature, disk, devices, outbox, uplink.',
  },
  alarm: {
    topic: 'alarm',
    schema: 'alarm/1',
    direction: 'out',
    enveloped: true,
    priority: 'event',
    retain: false,
    summary: 'A condition that needs a person was raised or cleared.',
  },
  deviceState: {
    topic: 'device/{device}/state',
    schema: 'device-state/1',
    direction: 'out',
    enveloped: true,
    priority: 'event',
    retain: true,
    summary: "A device's lifecycle state, on every change (retained).",
  },
  deviceEvent: {
    topic: 'device/{device}/event',
    schema: 'device-event/1',
    direction: 'out',
    enveloped: true,
    priority: 'event',
    retain: false,
    summary: 'Something a device reports (feeder empty, pen connected …).',
  },
  scanPage: {
    topic: 'scan/page',
    schema: 'scan-page/1',
    direction: 'out',
    enveloped: true,
    priority: 'result',
    retain: false,
    summary: 'A scanned homework page: graded, unrecognised or rejected.',
  },
  classReport: {
    topic: 'scan/report/{assignment}',
    schema: 'class-report/1',
    direction: 'out',
    enveloped: true,
    priority: 'result',
    retain: true,
    summary: "An assignment's class report, from scanned pages and smart-pen pages: after every scanned batch, and within 30 s of a pen page (retained).",
  },
  penStroke: {
    topic: 'pens/stroke',
    schema: 'pen-stroke/1',
    direction: 'local',
    enveloped: false,
    priority: null,
    retain: false,
    summary: 'Each finished pen stroke, where and when it was written; local bus only, for Node-RED and classroom displays.',
  },
  penPage: {
    topic: 'pens/page',
    schema: 'pen-page/1',
    direction: 'out',
    enveloped: true,
    priority: 'result',
    retain: false,
    summary: "A student's page written with a smart pen, graded from the strokes, once the pen has left it.",
  },
  penLive: {
    topic: 'pens/live',
    schema: 'pen-live/1',
    direction: 'out',
    enveloped: true,
    priority: 'telemetry',
    retain: true,
    summary: "The class's live pen progress: page, questions answered, active and idle time per student (retained).",
  },
  homeworkBurden: {
    topic: 'pens/burden/{assignment}',
    schema: 'homework-burden/1',
    direction: 'out',
    enveloped: true,
    priority: 'result',
    retain: true,
    summary: 'Time on task per student and the class distribution against the national limit for the grade (retained).',
  },
  mirrorCheckin: {
    topic: 'mirror/{station}/checkin',
    schema: 'mirror-checkin/1',
    direction: 'out',
    enveloped: true,
    priority: 'event',
    retain: false,
    summary: 'A student checked in at a magic mirror (QR card or card reader), or someone began to play anonymously.',
  },
  mirrorSession: {
    topic: 'mirror/{station}/session',
    schema: 'mirror-session/1',
    direction: 'out',
    enveloped: true,
    priority: 'result',
    retain: false,
    summary: 'What a student did at a magic mirror, sent when they leave: repetitions, form scores and feedback per exercise.',
  },
  mirrorRep: {
    topic: 'mirror/{station}/rep',
    schema: 'mirror-rep/1',
    direction: 'local',
    enveloped: false,
    priority: null,
    retain: false,
    summary: 'Each repetition counted at a magic mirror, with its score and feedback; local bus only.',
  },
  mirrorLive: {
    topic: 'mirror/{station}/live',
    schema: 'mirror-live/1',
    direction: 'local',
    enveloped: false,
    priority: null,
    retain: false,
    summary: "What a magic mirror's screen shows, several times a second: keypoints (never the image), count, feedback, check-ins today; local bus only.",
  },
  flowMessage: {
    topic: 'flow/{flow}',
    schema: 'flow-message/1',
    direction: 'out',
    enveloped: true,
    priority: 'event',
    retain: false,
    summary: "A message from one of the school's Node-RED flows (the `send to district` node), through the outbox.",
  },
  request: {
    topic: 'request/{op}',
    schema: 'request/1',
    direction: 'in',
    enveloped: false,
    priority: null,
    retain: false,
    summary: 'An operation asked of the gateway; see the operations table.',
  },
  response: {
    topic: 'response/{op}',
    schema: 'response/1',
    direction: 'out',
    enveloped: true,
    priority: 'event',
    retain: false,
    summary: 'The answer to `request/<op>`, with the transaction echoed.',
  },
} as const satisfies Record<string, MessageSpec>;

export type MessageName = keyof typeof messages;

/** The typed topic → payload map. */
export interface Payloads {
  availability: Availability;
  health: Health;
  alarm: Alarm;
  deviceState: DeviceState;
  deviceEvent: DeviceEvent;
  scanPage: ScanPage;
  classReport: ClassReportMessage;
  penStroke: PenStroke;
  penPage: PenPage;
  penLive: PenLive;
  homeworkBurden: HomeworkBurden;
  mirrorCheckin: MirrorCheckin;
  mirrorSession: MirrorSession;
  mirrorRep: MirrorRep;
  mirrorLive: MirrorLive;
  flowMessage: FlowMessage;
  request: Request;
  response: Response;
}

export type OutgoingName = { [K in MessageName]: (typeof messages)[K]['direction'] extends 'out' ? K : never }[MessageName];
export type LocalName = { [K in MessageName]: (typeof messages)[K]['direction'] extends 'local' ? K : never }[MessageName];
export type EnvelopedName = { [K in MessageName]: (typeof messages)[K]['enveloped'] extends true ? K : never }[MessageName];

type ParamNames<T extends string> = T extends `${string}{${infer P}}${infer Rest}` ? P | ParamNames<Rest> : never;
export type TopicParams<K extends MessageName> = { [P in ParamNames<(typeof messages)[K]['topic']>]: string };

const TOPIC_LEVEL = /^[^/+#\u0000]+$/;

/** Fills a topic template; a parameter that would add or escape a topic level is refused. */
export function relativeTopic<K extends MessageName>(name: K, params: TopicParams<K>): string {
  return messages[name].topic.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = (params as Record<string, string | undefined>)[key];
    if (value === undefined || !TOPIC_LEVEL.test(value)) {
      throw new Error(`topic parameter ${key} of ${name} must be one topic level without / + #, got ${JSON.stringify(value)}`);
    }
    return value;
  });
}

export interface BaseTopicParts {
  prefix: string;
  school: string;
  classroom: string;
  gateway: string;
}

export function baseTopic(parts: BaseTopicParts): string {
  return [parts.prefix, parts.school, parts.classroom, parts.gateway].join('/');
}

/** Which message a relative topic belongs to, with its parameters; null for topics outside the contract. */
export function matchTopic(relative: string): { name: MessageName; params: Record<string, string> } | null {
  for (const [name, spec] of Object.entries(messages) as [MessageName, MessageSpec][]) {
    const keys: string[] = [];
    const pattern = spec.topic.replace(/\{(\w+)\}/g, (_, key: string) => {
      keys.push(key);
      return '([^/]+)';
    });
    const match = new RegExp(`^${pattern}$`).exec(relative);
    if (match) {
      return { name, params: Object.fromEntries(keys.map((key, i) => [key, match[i + 1] ?? ''])) };
    }
  }
  return null;
}
