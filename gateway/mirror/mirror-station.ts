import { setTimeout as delay } from 'node:timers/promises';
import type { Camera, CameraFrame } from '../../drivers/camera/camera.js';
import type { MirrorLive } from '../contract/types.generated.js';
import type { Logger } from '../log/logger.js';
import { findCheckinCard } from './checkin/qr-card-reader.js';
import type { KnownStudent, StudentDirectory } from './checkin/student-directory.js';
import type { DebugFrames } from './debug-frames.js';
import type { Pose } from './exercises/index.js';
import type { PoseEstimator } from './pose/index.js';
import type { CheckinsToday } from './session/checkins-today.js';
import type { CheckinMethod, StationEvent, StationSession } from './session/station-session.js';

/** A card held up is looked for this often while nobody is checked in; less often during a session. */
const QR_SCAN_MS = { waiting: 400, session: 1500 };
/** No frame for this long: the screen says the camera is off, and time still runs for the session. */
const CAMERA_SILENT_MS = 2000;
const FPS_WINDOW_MS = 2000;
/**
 * An empty corridor is most of a mirror's day: after this long with nobody in view and no session,
 * the station looks at a few frames a second instead of every one (the pose model is the box's
 * biggest steady cost), and someone walking up is still seen within a third of a second.
 */
const IDLE_AFTER_MS = 5000;
const IDLE_FRAME_MS = 333;

type LiveKeypoints = NonNullable<MirrorLive['pose']>['keypoints'];

export interface MirrorStationOptions {
  station: string;
  camera: Camera;
  estimator: PoseEstimator;
  session: StationSession;
  directory: StudentDirectory;
  checkinsToday: CheckinsToday;
  debugFrames: DebugFrames;
  /** Check-ins, repetitions and session summaries, in order. */
  onEvents: (events: StationEvent[]) => void;
  /** After every frame, and every second while the camera is silent. */
  onLive: (live: MirrorLive) => void;
  logger: Logger;
}

/**
 * One magic mirror: its camera's newest frame → pose → the station's session, and the QR check-in
 * cards seen in the same frames. Frames go no further than this loop (and the explicit debug
 * setting): what leaves is keypoints, counts and scores.
 */
export class MirrorStation {
  private readonly abort = new AbortController();
  private readonly frameTimes: number[] = [];
  private running: Promise<void> | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private lastFrameAt = 0;
  private lastQrScan = 0;
  private qrScanning = false;
  private pose: Pose | null = null;
  private lastSeenAt = 0;

  constructor(private readonly opts: MirrorStationOptions) {}

  start(): void {
    this.running = this.loop();
    this.watchdog = setInterval(() => this.whileSilent(), 1000);
    this.watchdog.unref();
  }

  async stop(): Promise<void> {
    this.abort.abort(new Error('mirror station stopped'));
    if (this.watchdog) clearInterval(this.watchdog);
    await this.running;
    this.emit(this.opts.session.end(Date.now()));
  }

  /** A card tapped on a reader. */
  tap(uid: string): void {
    const student = this.opts.directory.byCard(uid);
    if (!student) return this.opts.logger.warn({ station: this.opts.station, card: uid }, 'card tapped that is not assigned to a student on a roster (settings mirror.cards)');
    this.checkIn(student, 'card');
  }

  private checkIn(student: KnownStudent, method: CheckinMethod): void {
    const t = Date.now();
    const events = this.opts.session.checkIn(student, method, t);
    if (events.some((e) => e.type === 'checkin')) this.opts.checkinsToday.checkedIn(student.studentId, student.name, t);
    this.emit(events);
  }

  private async loop(): Promise<void> {
    const slot = this.opts.camera.slot();
    try {
      while (!this.abort.signal.aborted) {
        const frame = await slot.next(this.abort.signal);
        const started = performance.now();
        await this.process(frame);
        if (this.idle()) await delay(IDLE_FRAME_MS - (performance.now() - started), undefined, { signal: this.abort.signal });
      }
    } catch (err) {
      if (!this.abort.signal.aborted) this.opts.logger.error({ err, station: this.opts.station }, 'mirror station stopped reading frames');
    } finally {
      slot.close();
    }
  }

  private async process(frame: CameraFrame): Promise<void> {
    // capturedAt is monotonic; sessions and messages keep wall-clock time.
    const t = Date.now() - (performance.now() - frame.capturedAt);
    this.lastFrameAt = t;
    this.frameTimes.push(t);
    while (this.frameTimes[0]! < t - FPS_WINDOW_MS) this.frameTimes.shift();
    this.opts.debugFrames.offer(frame);
    const result = await this.opts.estimator.estimate(frame.jpeg, t);
    if (result.kind === 'error') this.opts.logger.debug({ station: this.opts.station, error: result.error }, 'camera frame not readable');
    // Someone only partly in view still matters: the exercise asks them to step into view.
    this.pose = result.kind === 'pose' ? result.pose : result.kind === 'none' && result.reason === 'low-confidence' ? result.raw : null;
    if (this.pose) this.lastSeenAt = t;
    this.emit(this.opts.session.feed(this.pose, t));
    this.scanForCard(frame, t);
    this.opts.onLive(this.live(t, 'camera'));
  }

  private idle(): boolean {
    return this.opts.session.current === null && this.lastSeenAt < Date.now() - IDLE_AFTER_MS;
  }

  private scanForCard(frame: CameraFrame, t: number): void {
    const interval = this.opts.session.current?.studentId ? QR_SCAN_MS.session : QR_SCAN_MS.waiting;
    if (this.qrScanning || t - this.lastQrScan < interval) return;
    this.qrScanning = true;
    this.lastQrScan = t;
    findCheckinCard(frame.jpeg)
      .then((holder) => {
        if (!holder || this.abort.signal.aborted) return;
        const student = this.opts.directory.byCode(holder);
        if (student) this.checkIn(student, 'qr');
        else this.opts.logger.warn({ station: this.opts.station, ...holder }, 'check-in card for a student on no roster');
      })
      .catch((err: unknown) => this.opts.logger.debug({ err, station: this.opts.station }, 'QR scan of a camera frame failed'))
      .finally(() => (this.qrScanning = false));
  }

  private whileSilent(): void {
    const now = Date.now();
    if (now - this.lastFrameAt < CAMERA_SILENT_MS) return;
    this.pose = null;
    this.emit(this.opts.session.feed(null, now));
    this.opts.onLive(this.live(now, 'silent'));
  }

  private emit(events: StationEvent[]): void {
    for (const event of events) {
      if (event.type === 'rep' && event.message.studentId) this.opts.checkinsToday.counted(event.message.studentId, Date.parse(event.message.at));
    }
    if (events.length) this.opts.onEvents(events);
  }

  private live(t: number, camera: 'camera' | 'silent'): MirrorLive {
    const view = this.opts.session.view(t);
    const pose = this.pose;
    return {
      station: this.opts.station,
      at: new Date(t).toISOString(),
      ...view,
      ...(camera === 'silent' ? { state: 'camera-off' as const, message: 'The camera is not sending pictures' } : {}),
      // MoveNet always gives 17 keypoints: the schema's fixed-length tuple holds.
      pose: pose ? { score: round(pose.score), keypoints: pose.keypoints.map((k) => [round(k.x), round(k.y), round(k.score)]) as LiveKeypoints } : null,
      fps: camera === 'silent' ? 0 : round((this.frameTimes.length - 1) / (FPS_WINDOW_MS / 1000), 1),
      checkinsToday: this.opts.checkinsToday.list(t),
    };
  }
}

function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
