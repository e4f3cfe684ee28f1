import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceEvent } from '../../gateway/devices/device.js';
import { DeviceSupervisor } from '../../gateway/devices/supervisor.js';
import { silentLogger } from '../../gateway/log/logger.js';
import type { CameraFrame } from './camera.js';
import { ffmpegInputPlan, v4l2Plan, type CapturePlan } from './capture-plans.js';
import { ProcessCamera } from './process-camera.js';

/** ffmpeg's synthetic camera: a real MJPEG stream from a real ffmpeg process, paced like a camera. */
const testSource = (rate: number, size = '640x480') => ffmpegInputPlan(['-re', '-f', 'lavfi', '-i', `testsrc=size=${size}:rate=${rate}`], `test source at ${rate} fps`);

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => undefined);
});

function camera(plan: CapturePlan, stallMs = 3_000) {
  const cam = new ProcessCamera({ id: 'cam', logger: silentLogger(), transport: 'real', plan, stallMs, maxFrameBytes: 2 << 20, stopGraceMs: 500 });
  const events: DeviceEvent[] = [];
  cam.on('event', (e) => events.push(e));
  cleanup.push(() => cam.stop());
  return { cam, events };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('camera through a capture process (real ffmpeg)', () => {
  it('delivers ffmpeg’s MJPEG stream as whole 640×480 JPEGs, numbered, at the configured rate; stop ends ffmpeg', async () => {
    const { cam } = camera(testSource(30));
    const frames: CameraFrame[] = [];
    cam.onFrame((f) => frames.push(f));
    await cam.start();
    expect(cam.info()).toMatchObject({ state: 'ready', detail: 'test source at 30 fps' });
    const pid = cam.pid!;
    await sleep(2_500);
    expect(frames.length).toBeGreaterThan(55);
    expect(frames.map((f) => f.seq)).toEqual(frames.map((_, i) => frames[0]!.seq + i));
    expect(frames.every((f, i) => i === 0 || f.capturedAt > frames[i - 1]!.capturedAt)).toBe(true);
    const meta = await sharp(frames.at(-1)!.jpeg).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 640, 480]);
    expect(frames.at(-1)).toMatchObject({ width: 640, height: 480 });
    expect(cam.stats().fps).toBeGreaterThan(26);
    expect(cam.stats().fps).toBeLessThan(34);
    expect(cam.stats()).toMatchObject({ garbageBytes: 0, malformedFrames: 0, oversizeFrames: 0, restarts: 0 });
    expect(cam.latest()).toBe(frames.at(-1));
    await cam.stop();
    expect(isRunning(pid)).toBe(false);
    expect(cam.info().state).toBe('stopped');
  });

  it('gives a slow consumer the newest frame, counting the ones it skipped, never a backlog', async () => {
    const { cam } = camera(testSource(30, '320x240'));
    await cam.start();
    const slot = cam.slot();
    const taken: CameraFrame[] = [];
    for (let i = 0; i < 4; i++) {
      const frame = await slot.next();
      // The slot hands on the newest frame there is, not the oldest one waiting.
      expect(frame.seq).toBe(cam.latest()!.seq);
      taken.push(frame);
      await sleep(250); // a pose model busy on it
    }
    const gaps = taken.slice(1).map((f, i) => f.seq - taken[i]!.seq);
    expect(Math.min(...gaps)).toBeGreaterThan(4);
    expect(slot.dropped()).toBeGreaterThan(10);
    expect(cam.stats().dropped).toBe(slot.dropped());
    slot.close();
    await expect(slot.next()).rejects.toThrow('frame slot closed');
  });

  it('ffmpeg dying is a device error naming the signal, and the supervisor restarts it after the backoff', async () => {
    const { cam, events } = camera(testSource(30, '160x120'));
    const supervisorEvents: DeviceEvent[] = [];
    const supervisor = new DeviceSupervisor(cam, true, {
      backoff: { initialMs: 300, maxMs: 5_000, stableMs: 60_000 },
      startTimeoutMs: 10_000,
      stopTimeoutMs: 5_000,
      restartable: true,
      logger: silentLogger(),
      onEvent: (e) => supervisorEvents.push(e),
    });
    cleanup.push(() => supervisor.stop());
    await supervisor.start();
    const first = cam.pid!;
    process.kill(first, 'SIGKILL');
    await expect.poll(() => events.find((e) => e.type === 'error')?.message, { timeout: 5_000 }).toMatch(/^capture stopped \(ffmpeg was killed by SIGKILL\)$/);
    expect(supervisorEvents[0]).toMatchObject({ type: 'restart-scheduled', data: { delayMs: 300 } });
    await expect.poll(() => cam.info().state, { timeout: 5_000 }).toBe('ready');
    expect(cam.pid).not.toBe(first);
    expect(isRunning(first)).toBe(false);
    const seq = cam.latest()!.seq;
    await expect.poll(() => cam.latest()!.seq, { timeout: 5_000 }).toBeGreaterThan(seq + 5);
    expect(cam.stats().restarts).toBe(1);
  });

  it('a camera that stops sending is reported by the stall watchdog, and its process is ended', async () => {
    // One frame now, the next in 20 s: like a camera that hangs after opening.
    const { cam, events } = camera(testSource(0.05, '160x120'), 800);
    await cam.start();
    const pid = cam.pid!;
    await expect.poll(() => cam.info().state, { timeout: 5_000 }).toBe('error');
    expect(cam.info().detail).toBe('no frame for 0.8 s from test source at 0.05 fps: the camera stopped sending');
    expect(events.at(-1)).toMatchObject({ type: 'error', level: 'error' });
    expect(cam.stats().fps).toBe(0);
    await cam.stop();
    expect(isRunning(pid)).toBe(false);
  });

  it('a missing camera fails the start with ffmpeg’s own reason, and leaves no process behind', async () => {
    const { cam } = camera(v4l2Plan('/dev/video-none', { width: 640, height: 480, fps: 15 }, 'auto'));
    await expect(cam.start()).rejects.toThrow(/^camera \/dev\/video-none not found: is it plugged in\? \(ffmpeg exited with code 1: .*\/dev\/video-none: No such file or directory\)$/);
    expect(cam.info()).toMatchObject({ state: 'error', detail: expect.stringContaining('No such file or directory') });
    expect(cam.pid).toBeUndefined();
  });

  it('a camera without MJPEG is captured again with encoding, at once, and says so', async () => {
    const noMjpeg = "[video4linux2,v4l2 @ 0x1] Cannot find a proper format for codec 'mjpeg' (id 7), pixel format 'none' (id -1)";
    const plan: CapturePlan = { command: 'sh', args: ['-c', `echo "${noMjpeg}" >&2; exit 1`], debianPackage: 'dash', description: 'camera MJPEG', diagnoses: [] };
    plan.fallback = { when: /Cannot find a proper format/, plan: testSource(30, '160x120'), reason: 'encoding raw frames instead' };
    const { cam, events } = camera(plan);
    await cam.start();
    expect(cam.info()).toMatchObject({ state: 'ready', detail: 'test source at 30 fps' });
    expect(events).toEqual([expect.objectContaining({ type: 'capture-fallback', level: 'info', message: 'encoding raw frames instead' })]);
  });

  it('names the Debian package when the capture command is not installed', async () => {
    const { cam } = camera({ ...testSource(30), command: 'ffmpeg-not-installed' });
    await expect(cam.start()).rejects.toThrow('ffmpeg-not-installed not found: install it with "apt-get install ffmpeg"');
  });
});
