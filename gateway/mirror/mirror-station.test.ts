import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedCamera, type FrameSource } from '../../drivers/camera/index.js';
import type { MirrorCheckin, MirrorLive, MirrorRep, MirrorSession } from '../contract/types.generated.js';
import { ContractValidator } from '../contract/validator.js';
import type { MirrorSettings } from '../settings/types.js';
import { StudentDirectory } from './checkin/student-directory.js';
import { DebugFrames } from './debug-frames.js';
import { demoMirror } from './demo/demo-mirror.js';
import { loadExercises, type Exercise } from './exercises/index.js';
import { MirrorStation } from './mirror-station.js';
import type { Movenet } from '../../models/movenet/movenet.js';
import { createPoseEstimator, PoseEstimator } from './pose/index.js';
import { CheckinsToday } from './session/checkins-today.js';
import { StationSession, type StationEvent } from './session/station-session.js';

const validator = new ContractValidator();
const roster = { classId: '5b', students: [{ id: 's01', name: 'Ana Li' }, { id: 's02', name: 'Ben Wu' }] };
const rosters = new Map([['5b', roster]]);
const programme = [{ exercise: 'squat', reps: 2 }];
const FPS = 10;
const BEN_CARD = '04A224B2C35E80';

let model: Movenet;
let exercises: Map<string, Exercise>;
/** What the simulated camera plays (a video file goes to an ffmpeg camera instead). */
type PlayedSource = Exclude<FrameSource, { kind: 'video' }>;
/** The project's simulated student: walks in, holds up their QR card, squats, leaves. */
const demo = demoMirror({ roster, classId: '5b', programme, fps: FPS });
const demoSource = demo.source as Extract<FrameSource, { kind: 'generator' }>;
/** The same camera's empty corridor, as a one-image loop: nobody in front of the mirror. */
let corridor: PlayedSource;

beforeAll(async () => {
  ({ model } = await createPoseEstimator());
  ({ exercises } = await loadExercises());
  const empty = await demoSource.frame(demo.loopFrames - 1, { width: 640, height: 480, fps: FPS });
  corridor = { kind: 'images', frames: [empty] };
});

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

interface LogLine {
  level: number;
  msg: string;
  card?: string;
}

/** A real station on a real simulated camera and the real pose model; what it says is recorded. */
async function mirror(source: PlayedSource, overrides: Partial<MirrorSettings> = {}) {
  const settings: MirrorSettings = { programme, allowAnonymous: true, anonymousAfterSeconds: 3, leaveAfterSeconds: 6, restSeconds: 2, cards: [{ card: BEN_CARD, student: 's02' }], debugSaveFrames: false, ...overrides };
  const lines: LogLine[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  const camera = new SimulatedCamera({ id: 'camera-1', logger, size: { width: 640, height: 480, fps: FPS }, source, stallMs: 5000, maxFrameBytes: 2 * 1024 * 1024 });
  const events: StationEvent[] = [];
  const lives: MirrorLive[] = [];
  const tmp = mkdtempSync(join(tmpdir(), 'mirror-station-'));
  const debugDir = join(tmp, 'mirror-debug-frames');
  const checkinsToday = new CheckinsToday();
  const station = new MirrorStation({
    station: 'camera-1',
    camera,
    estimator: new PoseEstimator(model),
    session: new StationSession({ station: 'camera-1', exercises, settings: () => settings, aspectRatio: () => 640 / 480 }),
    directory: new StudentDirectory(rosters, () => settings.cards),
    checkinsToday,
    debugFrames: new DebugFrames(debugDir, () => settings.debugSaveFrames, logger),
    onEvents: (e) => events.push(...e),
    onLive: (live) => lives.push(live),
    logger,
  });
  station.start();
  await camera.start();
  cleanup.push(async () => {
    await station.stop();
    await camera.stop();
    // Whatever the station said, it said in the contract's words; and no frame reached the disk.
    for (const live of lives) validator.assert('mirror-live/1', live);
    for (const e of events) validator.assert(e.type === 'checkin' ? 'mirror-checkin/1' : e.type === 'rep' ? 'mirror-rep/1' : 'mirror-session/1', e.message);
    expect(existsSync(debugDir)).toBe(false);
    rmSync(tmp, { recursive: true, force: true });
  });
  return { camera, station, events, lives, lines, checkinsToday };
}

interface Messages {
  checkin: MirrorCheckin;
  rep: MirrorRep;
  session: MirrorSession;
}
const ofType = <T extends keyof Messages>(events: StationEvent[], type: T): Messages[T][] => events.filter((e) => e.type === type).map((e) => e.message as Messages[T]);

describe('a magic mirror station (simulated camera → MoveNet → session)', () => {
  it('checks in the student whose QR card the camera sees, and follows them on the live view', async () => {
    const { events, lives } = await mirror(demoSource);
    // The card is held up from 1.5 s to 3.5 s into the demo's first loop: Ana, the roster's first.
    await expect.poll(() => ofType(events, 'checkin'), { timeout: 10_000, interval: 100 }).toEqual([expect.objectContaining({ method: 'qr', studentId: 's01', classId: '5b' })]);
    const after = lives.length;
    await expect.poll(() => lives.length, { timeout: 3_000 }).toBeGreaterThan(after + 2);
    const now = lives.at(-1)!;
    expect(now).toMatchObject({ station: 'camera-1', state: expect.stringMatching(/^(exercising|resting)$/), student: { id: 's01', name: 'Ana Li' }, exercise: { id: 'squat' }, targetReps: 2 });
    expect(now.checkinsToday).toEqual([expect.objectContaining({ studentId: 's01', name: 'Ana Li' })]);
    // The real model found the drawn student: 17 keypoints, most of them sure, spread over the picture.
    const seen = lives.filter((l) => l.pose);
    expect(seen.length).toBeGreaterThan(lives.length / 2);
    const pose = seen.at(-1)!.pose!;
    expect(pose.keypoints).toHaveLength(17);
    expect(pose.score).toBeGreaterThan(0.3);
    const ys = pose.keypoints.map(([, y]) => y);
    expect(Math.max(...ys) - Math.min(...ys)).toBeGreaterThan(0.3);
    expect(now.fps).toBeGreaterThan(FPS / 3);
    expect(now.fps).toBeLessThanOrEqual(FPS + 1);
    for (const live of lives) validator.assert('mirror-live/1', live);
    // The same card in the following frames is no second check-in.
    expect(ofType(events, 'checkin')).toHaveLength(1);
  });

  it('looks at a few frames a second while the corridor is empty, and at every frame once someone is there', async () => {
    const empty = await mirror(corridor);
    await new Promise((r) => setTimeout(r, 3000));
    expect(empty.camera.stats().frames).toBeGreaterThan(2 * FPS);
    // Idle: about 3 frames a second whatever the camera sends.
    expect(empty.lives.length).toBeLessThanOrEqual(3 * 3 + 2);

    const busy = await mirror(demoSource);
    await expect.poll(() => ofType(busy.events, 'checkin').length, { timeout: 10_000, interval: 100 }).toBe(1);
    const [frames, lives] = [busy.camera.stats().frames, busy.lives.length];
    await new Promise((r) => setTimeout(r, 2000));
    expect(busy.lives.length - lives).toBeGreaterThanOrEqual(0.7 * (busy.camera.stats().frames - frames));
  });

  it("checks in a tapped card's student (settings mirror.cards); a card nobody has is refused with a warning", async () => {
    const { station, events, lines, lives } = await mirror(corridor);
    station.tap('04a224b2c35e80');
    expect(ofType(events, 'checkin')).toEqual([expect.objectContaining({ method: 'card', studentId: 's02', classId: '5b' })]);
    station.tap('DEADBEEF');
    expect(ofType(events, 'checkin')).toHaveLength(1);
    expect(lines.filter((l) => l.level === 40)).toEqual([expect.objectContaining({ card: 'DEADBEEF', msg: expect.stringContaining('not assigned to a student') })]);
    // The screen shows Ben checked in, and today's list has him once.
    const at = lives.length;
    await expect.poll(() => lives.length, { timeout: 3_000 }).toBeGreaterThan(at + 1);
    expect(lives.at(-1)).toMatchObject({ state: 'exercising', student: { id: 's02', name: 'Ben Wu' }, checkinsToday: [{ studentId: 's02', name: 'Ben Wu', reps: 0 }] });
  });

  it('goes straight to the first exercise on a check-in, even for the frame that was being read as the card was tapped', async () => {
    const { camera, station, lives, events } = await mirror(corridor);
    let shown = -1;
    // Subscribed after the station's own slot: the station has this frame when the card is tapped a moment later.
    const off = camera.onFrame((frame) => {
      if (frame.seq !== 3) return;
      shown = lives.length;
      setTimeout(() => station.tap(BEN_CARD), 3);
    });
    await expect.poll(() => ofType(events, 'checkin').length, { timeout: 3_000 }).toBe(1);
    off();
    await expect.poll(() => lives.length, { timeout: 3_000 }).toBeGreaterThan(shown + 3);
    const afterTap = lives.slice(shown).filter((l) => l.student);
    expect(afterTap.length).toBeGreaterThan(0);
    // The programme has no rest before its first exercise: the screen never says "Next: Squat" here.
    expect(afterTap.map((l) => [l.state, l.message])).toEqual(afterTap.map(() => ['exercising', null]));
  });

  it('says the camera is off, at 0 fps, within 3 s of its last frame', async () => {
    const { camera, lives } = await mirror(corridor);
    await expect.poll(() => lives.filter((l) => l.fps > 0).length, { timeout: 5_000 }).toBeGreaterThanOrEqual(5);
    expect(lives.every((l) => l.state !== 'camera-off')).toBe(true);
    await camera.stop();
    const stoppedAt = Date.now();
    const before = lives.length;
    await expect.poll(() => lives.slice(before).find((l) => l.state === 'camera-off'), { timeout: 3_500, interval: 50 }).toBeDefined();
    const off = lives.slice(before).find((l) => l.state === 'camera-off')!;
    // 2 s of silence, checked every second: 3 s at most, plus a little for a busy machine's timers.
    expect(Date.parse(off.at) - stoppedAt).toBeLessThanOrEqual(3_250);
    expect(off).toMatchObject({ fps: 0, pose: null, message: 'The camera is not sending pictures' });
    validator.assert('mirror-live/1', off);
  });

  it('stop() ends the open session and sends its summary', async () => {
    const { station, events } = await mirror(corridor);
    station.tap(BEN_CARD);
    await new Promise((r) => setTimeout(r, 300));
    expect(ofType(events, 'session')).toEqual([]);
    await station.stop();
    const sessions = ofType(events, 'session');
    expect(sessions).toEqual([expect.objectContaining({ method: 'card', studentId: 's02', classId: '5b', exercises: [] })]);
    expect(sessions[0]!.sessionId).toBe(ofType(events, 'checkin')[0]!.sessionId);
    expect(Date.parse(sessions[0]!.endedAt)).toBeGreaterThanOrEqual(Date.parse(sessions[0]!.startedAt));
  });
});
