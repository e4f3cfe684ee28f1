/**
 * npm run bench:mirror — the magic mirror's figures on this machine, one JSON object on the last
 * line: the end-to-end rate at 640×480 on one thread (camera frame → pose → exercise counting →
 * live view, with the QR card search), the model's ms p50/p95, the JPEG decode and crop ms, the
 * RSS, and what an empty corridor costs (the station then looks at a few frames a second).
 * Frames are the project's own demo (a student doing squats), pre-rendered, offered by the
 * simulated camera at 120 fps so that the pipeline, not the camera, sets the pace.
 */
import sharp from 'sharp';
import { SimulatedCamera } from '../../drivers/camera/index.js';
import { silentLogger } from '../../gateway/log/logger.js';
import { CheckinsToday } from '../../gateway/mirror/session/checkins-today.js';
import { StationSession } from '../../gateway/mirror/session/station-session.js';
import { StudentDirectory } from '../../gateway/mirror/checkin/student-directory.js';
import { DebugFrames } from '../../gateway/mirror/debug-frames.js';
import { corridorPixels } from '../../gateway/mirror/demo/corridor.js';
import { demoExerciseFrames } from '../../gateway/mirror/demo/demo-frames.js';
import { loadExercises } from '../../gateway/mirror/exercises/index.js';
import { MirrorStation } from '../../gateway/mirror/mirror-station.js';
import { createPoseEstimator, measurePoseLoop } from '../../gateway/mirror/pose/index.js';
import type { MirrorSettings } from '../../gateway/settings/types.js';

// "On one thread": sharp's decode and ONNX Runtime each get one; the loop itself is the main thread.
sharp.concurrency(1);
const SECONDS = Number(process.env.BENCH_MIRROR_SECONDS ?? 20);
const logger = silentLogger();

const demo = demoExerciseFrames({ exercise: 'squat', reps: 5, fps: 30 });
const frames = (await demo.renderAll()).filter((_, i) => demo.timeline[i]!.activity !== 'walk-in' && demo.timeline[i]!.activity !== 'walk-out');
console.log(`${frames.length} demo frames at ${demo.width}×${demo.height}, ${Math.round(frames.reduce((s, f) => s + f.length, 0) / frames.length / 1024)} KiB each`);

// The pose stage alone, frame after frame: where the time goes.
const { estimator: stageEstimator } = await createPoseEstimator({ threads: 1 });
const stages = await measurePoseLoop(stageEstimator, frames, 600, 30);
console.log(`pose stage: ${stages.fps.toFixed(1)} fps, ${stages.cores.toFixed(2)} cores; ms p50/p95 decode ${stages.stages.decodeMs.p50.toFixed(1)}/${stages.stages.decodeMs.p95.toFixed(1)}, crop ${stages.stages.preprocessMs.p50.toFixed(2)}/${stages.stages.preprocessMs.p95.toFixed(2)}, model ${stages.stages.modelMs.p50.toFixed(1)}/${stages.stages.modelMs.p95.toFixed(1)}; outcomes ${JSON.stringify(stages.outcomes)}`);

// The whole station: newest frame from the camera, pose, session, QR search, live view.
const { estimator } = await createPoseEstimator({ threads: 1 });
const { exercises } = await loadExercises();
const settings: MirrorSettings = { programme: [{ exercise: 'squat', reps: 1000 }], allowAnonymous: true, anonymousAfterSeconds: 1, leaveAfterSeconds: 6, restSeconds: 0, cards: [], debugSaveFrames: false };

/** A station on a simulated camera playing `pictures` at `fps`: frames through it per second, reps, CPU. */
async function runStation(pictures: Buffer[], fps: number, seconds: number): Promise<{ fps: number; reps: number; cpuPercent: number }> {
  const camera = new SimulatedCamera({ id: 'camera-1', logger, size: { width: demo.width, height: demo.height, fps }, source: { kind: 'images', frames: pictures }, stallMs: 5000, maxFrameBytes: 2 * 1024 * 1024 });
  let live = 0;
  let reps = 0;
  let measuring = false;
  const station = new MirrorStation({
    station: 'camera-1',
    camera,
    estimator,
    session: new StationSession({ station: 'camera-1', exercises, settings: () => settings, aspectRatio: () => demo.width / demo.height }),
    directory: new StudentDirectory(new Map(), () => []),
    checkinsToday: new CheckinsToday(),
    debugFrames: new DebugFrames('/nonexistent', () => false, logger),
    onEvents: (events) => (reps += measuring ? events.filter((e) => e.type === 'rep').length : 0),
    onLive: () => (live += measuring ? 1 : 0),
    logger,
  });
  await camera.start();
  station.start();
  await new Promise((r) => setTimeout(r, 3000));
  measuring = true;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const wall = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  measuring = false;
  await station.stop();
  await camera.stop();
  return { fps: live / wall, reps, cpuPercent: ((cpu.user + cpu.system) / 1e6 / wall) * 100 };
}

const busy = await runStation(frames, 120, SECONDS);
const rssMB = Math.round(process.memoryUsage().rss / 1024 / 1024);
console.log(`station: ${busy.fps.toFixed(1)} fps end to end (camera offering 120 fps, newest frame wins), ${busy.reps} squats counted, CPU ${busy.cpuPercent.toFixed(0)} % of one core; RSS ${rssMB} MB`);
// Most of a mirror's day: nobody in front of it, a camera at 15 fps.
const corridor = await sharp(await corridorPixels(demo.width, demo.height), { raw: { width: demo.width, height: demo.height, channels: 3 } }).jpeg({ quality: 85 }).toBuffer();
const idle = await runStation([corridor], 15, SECONDS);
console.log(`empty corridor (15 fps camera): ${idle.fps.toFixed(1)} frames/s looked at, CPU ${idle.cpuPercent.toFixed(1)} % of one core`);
console.log(
  JSON.stringify({
    width: demo.width,
    height: demo.height,
    endToEndFps: Number(busy.fps.toFixed(1)),
    poseStageFps: Number(stages.fps.toFixed(1)),
    modelMsP50: Number(stages.stages.modelMs.p50.toFixed(2)),
    modelMsP95: Number(stages.stages.modelMs.p95.toFixed(2)),
    decodeMsP50: Number(stages.stages.decodeMs.p50.toFixed(2)),
    cropMsP50: Number(stages.stages.preprocessMs.p50.toFixed(2)),
    preprocessMsP50: Number((stages.stages.decodeMs.p50 + stages.stages.preprocessMs.p50).toFixed(2)),
    cpuPercentOfOneCore: Math.round(busy.cpuPercent),
    repsCounted: busy.reps,
    emptyCorridorFps: Number(idle.fps.toFixed(1)),
    emptyCorridorCpuPercentOfOneCore: Number(idle.cpuPercent.toFixed(1)),
    rssMB,
  }),
);
process.exit(0);
