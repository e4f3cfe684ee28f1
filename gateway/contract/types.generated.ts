/* Generated from gateway/contract/schemas by `npm run contract:generate`; do not edit. */

/* eslint-disable */

// alarm.v1.json
/**
 * Raised (`active: true`) and cleared (`active: false`) conditions that need a person, e.g. `outbox-high`, `disk-low`.
 */
export interface Alarm {
  code: string;
  severity: "info" | "warning" | "critical";
  active: boolean;
  message: string;
  details?: {
    [k: string]: unknown | undefined;
  };
}

// availability.v1.json
/**
 * Retained online/offline state of the gateway. `offline` is also the MQTT Last Will, so the district sees it when the gateway vanishes. Not enveloped: the broker publishes the will on its own.
 */
export interface Availability {
  schema: "availability/1";
  state: "online" | "offline";
  /**
   * When the state was published (for the will: when the connection that carries it was made).
   */
  ts: string;
  /**
   * Gateway software version.
   */
  version?: string;
  /**
   * Why the gateway went offline, when it knows (shutdown, restart, connection lost).
   */
  reason?: string;
}

// class-report.v1.json
/**
 * The class report of one assignment, published (retained) after every scanned batch: who handed in, correct rate per question, each student's wrong questions, weak knowledge points.
 */
export interface ClassReportMessage {
  assignmentId: string;
  classId: string | null;
  /**
   * Students with every page scanned.
   */
  handedIn: string[];
  /**
   * Students with some pages scanned.
   */
  partial: string[];
  /**
   * Students on the roster with no page.
   */
  missing: string[];
  unknownStudents: string[];
  perQuestion: {
    questionId: string;
    label: string;
    answered: number;
    correct: number;
    correctRate: number | null;
    needsReview: number;
  }[];
  students: {
    studentId: string;
    name: string | null;
    score: number;
    maxScore: number;
    /**
     * The student's wrong-question list.
     */
    wrong: string[];
    needsReview: string[];
    rescanned: boolean;
  }[];
  mostMissed: {
    questionId: string;
    correctRate: number;
  }[];
  weakTags: {
    tag: string;
    errorRate: number;
    attempts: number;
  }[];
  pagesRead: number;
  updatedAt: string;
}

// device-event.v1.json
/**
 * Something a device reports: feeder empty, paper jam, pen connected, camera restarted …
 */
export interface DeviceEvent {
  device: string;
  /**
   * Machine-readable event type, e.g. `feeder-empty`.
   */
  type: string;
  level: "info" | "warning" | "error";
  /**
   * Human-readable, for IT and teachers.
   */
  message: string;
  data?: {
    [k: string]: unknown | undefined;
  };
}

// device-state.v1.json
/**
 * A device's lifecycle state. Published (retained) on every change.
 */
export interface DeviceState {
  id: string;
  /**
   * scanner, pen-hub, camera, rfid.
   */
  kind: string;
  transport: "real" | "simulated";
  state: "stopped" | "starting" | "ready" | "busy" | "error" | "disconnected";
  detail?: string;
  since: string;
  lastError?: {
    message: string;
    at: string;
  };
}

// envelope.v1.json
/**
 * Wraps every message that goes through the outbox. The district drops duplicates by `id` and sees gaps by `seq`, which counts from 1 per topic and is never reused.
 */
export interface Envelope {
  /**
   * Payload schema and major version, e.g. `health/1`.
   */
  schema: string;
  /**
   * Unique message id; a message delivered twice carries the same id.
   */
  id: string;
  /**
   * Sequence number per topic (per stream), from 1, never reused, also across restarts.
   */
  seq: number;
  /**
   * When the gateway made the message durable (UTC).
   */
  ts: string;
  /**
   * The payload, as described by `schema`.
   */
  data: {
    [k: string]: unknown | undefined;
  };
}

// flow-message.v1.json
/**
 * A message a Node-RED flow of the school's IT sends to the district (the `send to district` node), through the same durable outbox as everything else. What `data` holds is the flow's business; it is at most 64 KiB of JSON.
 */
export interface FlowMessage {
  /**
   * The name the flow gives its messages (the node's setting); also the last topic level.
   */
  flow: string;
  at: string;
  /**
   * The flow's payload: any JSON value.
   */
  data: {} | unknown[] | string | number | boolean | null;
}

// health.v1.json
/**
 * Periodic telemetry (every `telemetry.intervalSeconds`). Low priority: refused first when the outbox fills, and expired after `outbox.telemetryMaxAgeHours`.
 */
export interface Health {
  version: string;
  uptimeSeconds: number;
  cpu: {
    /**
     * CPU used by the gateway process since the last sample, in % of one core.
     */
    processPercent: number;
    /**
     * All cores, % busy since the last sample.
     */
    systemPercent: number;
    load1: number;
  };
  memory: {
    rssBytes: number;
    heapUsedBytes: number;
    systemTotalBytes: number;
    systemAvailableBytes: number;
  };
  /**
   * SoC temperature; null where the board has no sensor.
   */
  temperatureCelsius: number | null;
  disk: {
    freeBytes: number;
    totalBytes: number;
  };
  devices: DeviceState[];
  hotplug: {
    available: boolean;
    reason?: string;
  };
  outbox: {
    /**
     * Messages waiting for the district's acknowledgement.
     */
    depthMessages: number;
    depthBytes: number;
    /**
     * Age of the oldest waiting message; null when empty.
     */
    oldestAgeMs: number | null;
    capacityBytes: number;
    pressure: "normal" | "high" | "full";
    refused: {
      result: number;
      event: number;
      telemetry: number;
    };
    /**
     * Telemetry messages dropped for age (results and events never expire).
     */
    expired: number;
  };
  uplink: {
    state: "connecting" | "connected" | "backoff" | "stopped";
    protocol: "5" | "3.1.1" | null;
    /**
     * True when no district is configured and the uplink delivers to the gateway's own bus.
     */
    loopback?: boolean;
    reconnects: number;
    sent: number;
    acked: number;
  };
  bus: {
    clients: number;
    refusedConnections?: number;
    refusedPublishes?: number;
  };
  /**
   * Counters per pipeline (e.g. scan: pagesRead, pagesUnrecognised).
   */
  pipelines: {
    [k: string]:
      | {
          [k: string]: number | undefined;
        }
      | undefined;
  };
  nodeRed: {
    running: boolean;
    /**
     * Errors reported by flows since start.
     */
    errors: number;
  };
}

// homework-burden.v1.json
/**
 * How long one assignment really took the class, measured from the smart pens (retained): time on task per student and the class distribution, against the national limit for the grade (no written homework in grades 1–2, 60 minutes a day in grades 3–6, 90 in grades 7–9).
 */
export interface HomeworkBurden {
  assignmentId: string;
  grade: number | null;
  /**
   * 0: no written homework allowed; null: no national limit for the grade.
   */
  limitMinutes: number | null;
  students: {
    studentId: string;
    /**
     * Time with the pen writing, plus the short pauses between strokes.
     */
    activeMinutes: number;
    /**
     * First to last stroke, less breaks of `pens.breakAfterMinutes` or more.
     */
    elapsedMinutes: number;
    breakMinutes: number;
    /**
     * elapsedMinutes above limitMinutes; null when the grade has no limit.
     */
    overLimit: boolean | null;
  }[];
  /**
   * Of the students' elapsedMinutes.
   */
  distribution: {
    count: number;
    meanMinutes: number;
    p50Minutes: number;
    p90Minutes: number;
    maxMinutes: number;
    /**
     * null when the grade has no limit.
     */
    overLimitShare: number | null;
    /**
     * 10-minute bins from 0.
     */
    histogram: {
      fromMinutes: number;
      toMinutes: number;
      count: number;
    }[];
  };
  updatedAt: string;
}

// mirror-checkin.v1.json
/**
 * A student checked in at a magic mirror, by showing a QR card to its camera or tapping a card on its reader; or someone began to play anonymously. No image is ever part of it.
 */
export interface MirrorCheckin {
  /**
   * The mirror: the id of its camera device.
   */
  station: string;
  /**
   * The mirror session this check-in opens; its `mirror/session` message carries the same id.
   */
  sessionId: string;
  /**
   * `anonymous`: someone exercised without checking in.
   */
  method: "qr" | "card" | "anonymous";
  /**
   * As in the class roster; null when anonymous.
   */
  studentId: string | null;
  classId: string | null;
  at: string;
}

// mirror-live.v1.json
/**
 * What a magic mirror's screen shows, several times a second: the pose's keypoints (never the image), the exercise, the count, the last feedback and today's check-ins. Local bus only; the mirror's page gets it over a WebSocket.
 */
export interface MirrorLive {
  station: string;
  at: string;
  /**
   * `waiting`: nobody in front of the mirror; `resting`: between two exercises; `camera-off`: no frames from the camera.
   */
  state: "waiting" | "exercising" | "resting" | "camera-off";
  /**
   * A short instruction for the person in front of the mirror, e.g. `Step into view` or `Show your QR card to check in`.
   */
  message: string | null;
  /**
   * Who is checked in; null while anonymous or waiting.
   */
  student: {
    id: string;
    name: string;
  } | null;
  exercise: {
    id: string;
    name: string;
  } | null;
  reps: number;
  targetReps: number | null;
  lastRep: {
    index: number;
    score: number;
    feedback: string[];
  } | null;
  pose: {
    score: number;
    /**
     * MoveNet's 17 keypoints in COCO order (nose, eyes, ears, shoulders, elbows, wrists, hips, knees, ankles; left before right), each `[x, y, score]` with x and y from 0 to 1 across the camera's picture.
     *
     * @minItems 17
     * @maxItems 17
     */
    keypoints: [
      [number, number, number],
      [number, number, number],
      [number, number, number],
      [number, number, number],
      [number, number, number],
      [number, number, number],
      [number, number, number],
      [number, number, number],
      [number, number, number],
      [number, number, number],
      [number, number, number],
      [number, number, number],
      [number, number, number],
      [number, number, number],
      [number, number, number],
      [number, number, number],
      [number, number, number]
    ];
  } | null;
  /**
   * Frames a second through the pose model.
   */
  fps: number;
  checkinsToday: {
    studentId: string;
    name: string;
    at: string;
    /**
     * Repetitions counted today at this mirror.
     */
    reps: number;
  }[];
}

// mirror-rep.v1.json
/**
 * One repetition counted at a magic mirror, with its form score and feedback; local bus only, for Node-RED flows and displays. The district gets the session's summary.
 */
export interface MirrorRep {
  station: string;
  sessionId: string;
  studentId: string | null;
  exerciseId: string;
  index: number;
  /**
   * For exercises whose sides take turns and count each side.
   */
  side?: "left" | "right";
  score: number;
  feedback: string[];
  durationMs: number;
  at: string;
}

// mirror-session.v1.json
/**
 * What one student (or one anonymous player) did at a magic mirror, sent when they leave: per exercise the repetitions, form scores and the feedback given. Counts and scores only; no image and no keypoints.
 */
export interface MirrorSession {
  station: string;
  sessionId: string;
  method: "qr" | "card" | "anonymous";
  studentId: string | null;
  classId: string | null;
  startedAt: string;
  endedAt: string;
  exercises: {
    exerciseId: string;
    name: string;
    reps: number;
    /**
     * Mean form score of the repetitions, 0–100; null with no repetition.
     */
    meanScore: number | null;
    bestScore: number | null;
    worstScore: number | null;
    /**
     * Time spent in counted repetitions.
     */
    activeSeconds: number;
    /**
     * Each piece of feedback given and how often, most frequent first.
     */
    feedback: {
      text: string;
      count: number;
    }[];
  }[];
}

// pen-live.v1.json
/**
 * The class's live homework progress from the smart pens (retained), at most every few seconds while pens write: per student the page, questions answered, active and idle time.
 */
export interface PenLive {
  at: string;
  pens: {
    connected: number;
    ready: number;
  };
  students: {
    studentId: string;
    pen: string | null;
    /**
     * `idle`: nothing written for `pens.idleAfterSeconds`.
     */
    state: "writing" | "idle";
    assignmentId: string | null;
    page: number | null;
    /**
     * Questions of the assignment with something written in their answer region.
     */
    answered: number;
    /**
     * Questions the assignment has.
     */
    questions: number;
    activeSeconds: number;
    idleSeconds: number;
    lastWrittenAt: string | null;
  }[];
}

// pen-page.v1.json
/**
 * A student's workbook page written with a smart pen, read and graded on the box from the strokes. Sent when the pen has left the page or stopped writing on it for `pens.pageSettleSeconds`; sent again, replacing the last, if the student comes back to it.
 */
export interface PenPage {
  /**
   * null: a generic copy from a pen no student is known for yet.
   */
  studentId: string | null;
  pen: string;
  assignmentId: string;
  page: number;
  /**
   * Counts the sends of this student's page: the highest replaces the others.
   */
  revision: number;
  firstWrittenAt: string;
  lastWrittenAt: string;
  score: number;
  maxScore: number;
  /**
   * Questions the reader would not decide: a teacher does.
   */
  needsReview: string[];
  questions: {
    questionId: string;
    outcome: "correct" | "partial" | "incorrect" | "unanswered" | "needs-review" | "ungraded";
    points: number;
    maxPoints: number;
    given: string[] | string | null;
    confidence: number;
    /**
     * First stroke in the question's answer region; null when nothing was written there.
     */
    writtenFrom: string | null;
    writtenTo: string | null;
  }[];
}

// pen-stroke.v1.json
/**
 * One finished pen stroke, on the local bus only (it never goes to the district): for Node-RED flows and live displays in the classroom. Coordinates stay on the box; this says where and when.
 */
export interface PenStroke {
  /**
   * `<hub device id>/<slot>`.
   */
  pen: string;
  mac: string | null;
  /**
   * From settings `pens.students`, or learnt from the pen writing on a personalised page; null while unknown.
   */
  studentId: string | null;
  /**
   * The dot-pattern page address (section / owner / note / page).
   */
  address: {
    section: number;
    owner: number;
    note: number;
    page: number;
  };
  /**
   * null: a page the gateway did not print.
   */
  assignmentId: string | null;
  page: number | null;
  /**
   * The answer region the stroke lies in, if any.
   */
  questionId: string | null;
  startedAt: string;
  endedAt: string;
  dots: number;
  /**
   * Dots the pen said it sent but that never arrived; null when the pen does not say (old firmware, repaired stroke).
   */
  lostDots: number | null;
  /**
   * What was repaired in this stroke, e.g. `synthetic-up`, `synthetic-down`, `page-change`.
   */
  repairs: string[];
  eraser: boolean;
}

// request.v1.json
/**
 * Sent by the district (or a local client) to `request/<op>`. The answer comes on `response/<op>` with the same `transaction`. Not enveloped.
 */
export interface Request {
  /**
   * Echoed in the response so the sender can match it.
   */
  transaction?: string | number;
  /**
   * The operation's arguments.
   */
  data?: {
    [k: string]: unknown | undefined;
  };
}

// response.v1.json
/**
 * The answer to a request (enveloped like every outgoing message).
 */
export interface Response {
  status: "ok" | "error";
  transaction?: string | number;
  data?: unknown;
  error?: {
    code: "malformed" | "unknown-op" | "invalid" | "not-found" | "busy" | "failed" | "unauthorised";
    message: string;
  };
}

// scan-page.v1.json
/**
 * One scanned homework page, read and graded on the box. Images stay on the box; `image` names the kept scan for the teacher's review.
 */
export interface ScanPage {
  device: string;
  batchId: string;
  /**
   * Position in the scanned stack.
   */
  index: number;
  /**
   * `unrecognised`: no page id of ours, an unknown assignment or another print version; `blank`: nothing printed or written on it (the back of a sheet in a duplex batch); `rejected`: not a readable image (corrupt, too large).
   */
  status: "graded" | "unrecognised" | "blank" | "rejected";
  reason?: string;
  assignmentId?: string;
  page?: number;
  /**
   * From the QR code (personalised copies) or the student-number grid (generic copies); null when unreadable.
   */
  studentId?: string | null;
  /**
   * This student's page was scanned before; this one replaces it.
   */
  rescanned?: boolean;
  score?: number;
  maxScore?: number;
  questions?: {
    questionId: string;
    outcome: "correct" | "partial" | "incorrect" | "unanswered" | "needs-review" | "ungraded";
    points: number;
    maxPoints: number;
    given?: string[] | string | null;
  }[];
  /**
   * Questions the reader would not decide (faint, several marks, unreadable): a teacher does.
   */
  needsReview: string[];
  readMs: number;
  /**
   * Path of the kept scan inside the gateway's data directory.
   */
  image?: string;
  /**
   * Only when the gateway's `homework.uploadCrops` setting is on: each answer region as a base64 PNG.
   */
  crops?: {
    questionId: string;
    png: string;
  }[];
}
