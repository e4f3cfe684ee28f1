import { join } from 'node:path';
import type { Camera } from '../../drivers/camera/camera.js';
import type { CardReader } from '../../drivers/card-reader/card-reader.js';
import type { AlarmCenter } from '../alarms/alarm-center.js';
import type { MirrorLive } from '../contract/types.generated.js';
import type { DeviceRegistry } from '../devices/registry.js';
import type { Roster } from '../homework/assignments/types.js';
import type { Logger } from '../log/logger.js';
import type { Publisher } from '../messaging/publisher.js';
import type { MirrorSettings } from '../settings/types.js';
import { StudentDirectory } from './checkin/student-directory.js';
import { DebugFrames } from './debug-frames.js';
import { loadExercises, type Exercise } from './exercises/index.js';
import { MirrorStation } from './mirror-station.js';
import { createPoseEstimator } from './pose/index.js';
import { CheckinsToday } from './session/checkins-today.js';
import { StationSession, type StationEvent } from './session/station-session.js';

export interface MirrorPipelineOptions {
  devices: DeviceRegistry;
  publisher: Publisher;
  alarms: AlarmCenter;
  rosters: ReadonlyMap<string, Roster>;
  settings: () => MirrorSettings;
  dataDir: string;
  /** The mirrors' screens: every live view, at the camera's rate. */
  onLive?: (live: MirrorLive) => void;
  logger: Logger;
  /** The local bus gets the live view at most this often per mirror (the screens get every one). */
  busLiveEveryMs?: number;
}

/** What the status page shows of each mirror. */
export interface MirrorSummary {
  station: string;
  state: MirrorLive['state'];
  student: string | null;
  exercise: string | null;
  reps: number;
  fps: number;
  checkinsToday: number;
}

/**
 * The magic mirrors: one station per camera device, the card readers' taps offered to every
 * station (a box usually drives one mirror), the school's exercises beside the built-in ones.
 * Check-ins and session summaries go to the district; repetitions and the live view stay on the
 * box's bus; frames never leave the stations.
 */
export class MirrorPipeline {
  private readonly stations: MirrorStation[] = [];
  private readonly lastLive = new Map<string, MirrorLive>();
  private readonly busLiveAt = new Map<string, number>();
  private readonly detach: (() => void)[] = [];

  constructor(private readonly opts: MirrorPipelineOptions) {}

  async start(): Promise<void> {
    const { devices, logger } = this.opts;
    const cameras = devices.list().filter((d) => d.kind === 'camera');
    if (cameras.length === 0) return;
    const exercises = await this.loadExercises();
    const directory = new StudentDirectory(this.opts.rosters, () => this.opts.settings().cards);
    for (const info of cameras) {
      const camera = devices.get(info.id) as unknown as Partial<Camera> | undefined;
      if (typeof camera?.slot !== 'function') continue;
      const { estimator } = await createPoseEstimator();
      let aspectRatio = 4 / 3;
      const unsubscribe = camera.onFrame?.((frame) => {
        if (frame.width && frame.height) aspectRatio = frame.width / frame.height;
      });
      if (unsubscribe) this.detach.push(unsubscribe);
      const station = new MirrorStation({
        station: info.id,
        camera: camera as Camera,
        estimator,
        session: new StationSession({ station: info.id, exercises, settings: this.opts.settings, aspectRatio: () => aspectRatio }),
        directory,
        checkinsToday: new CheckinsToday(),
        debugFrames: new DebugFrames(join(this.opts.dataDir, 'mirror-debug-frames', info.id), () => this.opts.settings().debugSaveFrames, logger),
        onEvents: (events) => this.publish(events),
        onLive: (live) => this.live(live),
        logger: logger.child({ station: info.id }),
      });
      this.stations.push(station);
      station.start();
    }
    for (const info of devices.list().filter((d) => d.kind === 'card-reader')) {
      const reader = devices.get(info.id) as unknown as Partial<CardReader> | undefined;
      if (typeof reader?.onCard !== 'function') continue;
      this.detach.push(reader.onCard((tap) => this.stations.forEach((s) => s.tap(tap.uid))));
    }
    this.watchDebugSetting();
  }

  /** Open sessions are ended and their summaries queued. */
  async stop(): Promise<void> {
    for (const d of this.detach.splice(0)) d();
    await Promise.all(this.stations.splice(0).map((s) => s.stop()));
  }

  summary(): MirrorSummary[] {
    return [...this.lastLive.values()].map((l) => ({ station: l.station, state: l.state, student: l.student?.name ?? null, exercise: l.exercise?.name ?? null, reps: l.reps, fps: l.fps, checkinsToday: l.checkinsToday.length }));
  }

  /** The debug setting is the one way frames reach the disk: while it is on, an alarm says so. */
  watchDebugSetting(): void {
    if (this.opts.settings().debugSaveFrames) this.opts.alarms.raise('mirror-debug-frames', 'warning', `camera frames are being saved to ${join(this.opts.dataDir, 'mirror-debug-frames')} (settings mirror.debugSaveFrames); turn it off when done`);
    else this.opts.alarms.clear('mirror-debug-frames');
  }

  private async loadExercises(): Promise<Map<string, Exercise>> {
    const { exercises, errors, warnings } = await loadExercises({ extraDir: join(this.opts.dataDir, 'exercises') });
    for (const problem of errors) this.opts.alarms.raise('exercise-file-invalid', 'warning', `exercise file not used: ${problem}`);
    for (const warning of warnings) this.opts.logger.warn(warning);
    const unknown = this.opts.settings().programme.filter((p) => !exercises.has(p.exercise));
    if (unknown.length) this.opts.alarms.raise('mirror-programme-invalid', 'warning', `mirror programme names exercises that do not exist: ${unknown.map((p) => p.exercise).join(', ')}; known: ${[...exercises.keys()].join(', ')}`);
    return exercises;
  }

  private publish(events: StationEvent[]): void {
    const { publisher, logger } = this.opts;
    for (const event of events) {
      const station = { station: event.message.station };
      const sent =
        event.type === 'checkin'
          ? publisher.publish('mirrorCheckin', station, event.message)
          : event.type === 'session'
            ? publisher.publish('mirrorSession', station, event.message)
            : publisher.publishLocal('mirrorRep', station, event.message);
      sent.catch((err: unknown) => logger.warn({ err, type: event.type }, 'mirror message not queued'));
    }
  }

  private live(live: MirrorLive): void {
    this.lastLive.set(live.station, live);
    this.opts.onLive?.(live);
    const now = Date.now();
    if (now - (this.busLiveAt.get(live.station) ?? 0) < (this.opts.busLiveEveryMs ?? 200)) return;
    this.busLiveAt.set(live.station, now);
    this.opts.publisher.publishLocal('mirrorLive', { station: live.station }, live).catch((err: unknown) => this.opts.logger.warn({ err }, 'mirror live view not published'));
  }
}
