import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cameraDriver } from '../../drivers/camera/index.js';
import { cardReaderDriver } from '../../drivers/card-reader/index.js';
import { AlarmCenter } from '../alarms/alarm-center.js';
import type { Alarm, MirrorCheckin, MirrorLive, MirrorSession } from '../contract/types.generated.js';
import { ContractValidator } from '../contract/validator.js';
import { DeviceRegistry } from '../devices/registry.js';
import { silentLogger } from '../log/logger.js';
import type { MirrorSettings } from '../settings/types.js';
import { publishingHarness } from '../test-support/publishing-harness.js';
import { demoMirror } from './demo/demo-mirror.js';
import { MirrorPipeline } from './mirror-pipeline.js';

const BASE = 'classroom/s/c/g';
const logger = silentLogger();
const validator = new ContractValidator();
const roster = { classId: '5b', students: [{ id: 's01', name: 'Ana Li' }, { id: 's02', name: 'Ben Wu' }] };
const programme = [{ exercise: 'squat', reps: 2 }];
const BEN_CARD = '04A224B2C35E80';
const FPS = 10;
/** The default simulated camera's picture: a student of the class walks up and shows their QR card from 1.5 s to 3.5 s. */
const demo = demoMirror({ roster, classId: '5b', programme, fps: FPS });

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** Everything under `dir`, as paths relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

/**
 * The mirror as the gateway runs it: a real device registry with simulated cameras and a
 * simulated card reader, the real publisher (an outbox on disk, the local bus), a real alarm
 * centre whose district sink is recorded.
 */
async function gateway(options: { cameras: string[]; settings?: Partial<MirrorSettings>; exerciseFiles?: Record<string, string>; startDevices?: boolean }) {
  const settings: MirrorSettings = { programme, allowAnonymous: true, anonymousAfterSeconds: 3, leaveAfterSeconds: 6, restSeconds: 2, cards: [{ card: BEN_CARD, student: 's02' }], debugSaveFrames: false, ...options.settings };
  const harness = await publishingHarness(BASE, 'mirror-pipeline-');
  const { dataDir } = harness;
  closers.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  closers.push(() => harness.close());
  if (options.exerciseFiles) {
    mkdirSync(join(dataDir, 'exercises'));
    for (const [name, text] of Object.entries(options.exerciseFiles)) writeFileSync(join(dataDir, 'exercises', name), text);
  }
  const devices = new DeviceRegistry({ logger });
  devices.registerDriver('camera', cameraDriver({ frameSource: demo.source }));
  devices.registerDriver('card-reader', cardReaderDriver());
  devices.load([
    ...options.cameras.map((id) => ({ id, kind: 'camera', transport: 'simulated' as const, options: { fps: FPS } })),
    { id: 'reader-1', kind: 'card-reader', transport: 'simulated', options: { cards: [], debounceMs: 0 } },
  ]);
  const sent: Alarm[] = [];
  const alarms = new AlarmCenter(async (alarm) => sent.push(alarm), logger);
  const lives: MirrorLive[] = [];
  const mirror = new MirrorPipeline({ devices, publisher: harness.publisher, alarms, rosters: new Map([['5b', roster]]), settings: () => settings, dataDir, onLive: (l) => lives.push(l), logger, busLiveEveryMs: 200 });
  // As the gateway does: the pipeline subscribes first, then the devices start.
  await mirror.start();
  closers.push(async () => void (await devices.stopAll()));
  closers.push(() => mirror.stop());
  if (options.startDevices !== false) await devices.startAll();
  const onBus = (kind: string) =>
    harness.seen
      .filter((m) => m.topic.startsWith(`${BASE}/mirror/`) && m.topic.endsWith(`/${kind}`))
      .map((m) => ({ station: m.topic.split('/').at(-2)!, body: JSON.parse(m.payload.toString()) as Record<string, unknown> }));
  return { harness, dataDir, devices, mirror, alarms, sent, lives, settings, onBus };
}

describe('the magic mirror pipeline (devices → stations → publisher)', () => {
  it('runs a station per camera, offers card taps to every station, sends check-ins and summaries to the district, and writes no frame', async () => {
    const { harness, dataDir, devices, mirror, alarms, lives, onBus } = await gateway({ cameras: ['camera-1', 'camera-2'] });
    // Ben taps his card as he walks up; then the demo's student, Ana, shows her QR card at both mirrors.
    await devices.runAction('reader-1', 'tap', { uid: BEN_CARD });
    await expect.poll(() => onBus('checkin').length, { timeout: 10_000, interval: 100 }).toBe(4);
    expect(new Set(lives.map((l) => l.station))).toEqual(new Set(['camera-1', 'camera-2']));
    expect(mirror.summary().map((s) => s.station).sort()).toEqual(['camera-1', 'camera-2']);
    await mirror.stop();
    await new Promise((r) => setTimeout(r, 100));

    for (const station of ['camera-1', 'camera-2']) {
      const checkins = onBus('checkin').filter((m) => m.station === station).map((m) => m.body.data as MirrorCheckin);
      const sessions = onBus('session').filter((m) => m.station === station).map((m) => m.body.data as MirrorSession);
      expect(checkins.map((c) => [c.method, c.studentId]), station).toEqual([['card', 's02'], ['qr', 's01']]);
      // Ben's session ended when Ana checked in; Ana's when the mirror stopped.
      expect(sessions.map((s) => [s.method, s.studentId, s.sessionId]), station).toEqual([['card', 's02', checkins[0]!.sessionId], ['qr', 's01', checkins[1]!.sessionId]]);
      for (const c of checkins) validator.assert('mirror-checkin/1', c);
      for (const s of sessions) validator.assert('mirror-session/1', s);
    }
    // The live view is on the local bus (rate-limited), never queued for the district.
    const busLive = onBus('live').map((m) => m.body as unknown as MirrorLive);
    expect(busLive.length).toBeGreaterThan(2);
    expect(busLive.length).toBeLessThan(lives.length);
    for (const live of busLive) validator.assert('mirror-live/1', live);
    const queued = (await harness.outbox.read(1, 1000)).map((r) => r.stream).filter((s) => s.startsWith('mirror/'));
    expect(new Set(queued)).toEqual(new Set(['mirror/camera-1/checkin', 'mirror/camera-1/session', 'mirror/camera-2/checkin', 'mirror/camera-2/session']));
    expect(alarms.list()).toEqual([]);

    // Privacy: with debugSaveFrames off the mirror wrote nothing: the only files are the outbox's,
    // and neither they nor anything on the bus holds a picture.
    const files = filesUnder(dataDir);
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((f) => !f.startsWith('outbox/'))).toEqual([]);
    const JPEG = Buffer.from([0xff, 0xd8, 0xff]);
    for (const f of files) expect(readFileSync(join(dataDir, f)).includes(JPEG), f).toBe(false);
    for (const m of harness.seen) {
      expect(m.payload.includes(JPEG), m.topic).toBe(false);
      expect(m.payload.toString(), m.topic).not.toContain('/9j/');
    }
  });

  it("names a school's invalid exercise file and a programme's unknown exercise as alarms, and still runs", async () => {
    const { alarms, sent, lives } = await gateway({
      cameras: ['camera-1'],
      settings: { programme: [{ exercise: 'squat', reps: 2 }, { exercise: 'burpee', reps: 3 }] },
      exerciseFiles: { 'plank.json': JSON.stringify({ id: 'plank', name: 'Plank' }) },
    });
    const active = Object.fromEntries(alarms.list().map((a) => [a.code, a]));
    expect(Object.keys(active).sort()).toEqual(['exercise-file-invalid', 'mirror-programme-invalid']);
    expect(active['exercise-file-invalid']!.message).toContain('plank.json');
    expect(active['mirror-programme-invalid']!.message).toMatch(/exercises that do not exist: burpee;/);
    // The alarms went to the district as they were raised.
    expect(sent.filter((a) => a.active).map((a) => a.code).sort()).toEqual(['exercise-file-invalid', 'mirror-programme-invalid']);
    // The rest of the programme still runs.
    await expect.poll(() => lives.length, { timeout: 5_000 }).toBeGreaterThan(0);
  });

  it('while debugSaveFrames is on, an alarm says where frames are being saved, and it clears when turned off', async () => {
    const { dataDir, alarms, sent, settings, mirror } = await gateway({ cameras: ['camera-1'], settings: { debugSaveFrames: true } });
    const dir = join(dataDir, 'mirror-debug-frames');
    expect(alarms.list()).toEqual([expect.objectContaining({ code: 'mirror-debug-frames', severity: 'warning', message: expect.stringContaining(dir) })]);
    // …and frames are indeed being saved there (the first at once, then every 30th).
    await expect.poll(() => filesUnder(dataDir).filter((f) => !f.startsWith('outbox')), { timeout: 5_000 }).toEqual([expect.stringMatching(/^mirror-debug-frames\/camera-1\/\d{10}\.jpg$/)]);
    settings.debugSaveFrames = false;
    mirror.watchDebugSetting();
    expect(alarms.list()).toEqual([]);
    expect(sent.map((a) => [a.code, a.active])).toEqual([['mirror-debug-frames', true], ['mirror-debug-frames', false]]);
    // Watching again while off changes nothing and says nothing more.
    mirror.watchDebugSetting();
    expect(sent).toHaveLength(2);
  });
});
