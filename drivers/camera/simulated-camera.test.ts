import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { Device, DeviceEvent } from '../../gateway/devices/device.js';
import { silentLogger } from '../../gateway/log/logger.js';
import type { Camera, CameraFrame } from './camera.js';
import { cameraDriver } from './index.js';
import type { FrameSource } from './simulated-camera.js';

type CameraDeviceUnderTest = Device & Camera;

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => undefined);
});

async function started(options: Record<string, unknown>, frameSource?: FrameSource) {
  const camera = cameraDriver(frameSource ? { frameSource } : {}).create({ id: 'mirror-cam', kind: 'camera', transport: 'simulated', options }, { logger: silentLogger() }) as CameraDeviceUnderTest;
  cleanup.push(() => camera.stop());
  const frames: CameraFrame[] = [];
  const events: DeviceEvent[] = [];
  camera.onFrame((f) => frames.push(f));
  camera.on('event', (e) => events.push(e));
  await camera.start();
  return { camera, frames, events };
}

const solid = (r: number) => sharp({ create: { width: 32, height: 24, channels: 3, background: { r, g: 0, b: 0 } } }).jpeg().toBuffer();

describe('simulated camera', () => {
  it('plays an image sequence at the configured rate, in order, looped', async () => {
    const images = await Promise.all([10, 120, 240].map(solid));
    const { camera, frames } = await started({ fps: 20 }, { kind: 'images', frames: images });
    expect(camera.info()).toMatchObject({ state: 'ready', detail: 'simulated 640×480 at 20 fps (3 images looped)' });
    await sleep(1_500);
    // 1.5 s at 20 fps, plus the first frame at once; a loaded test machine may run a little late.
    expect(frames.length).toBeGreaterThanOrEqual(26);
    expect(frames.length).toBeLessThanOrEqual(32);
    const order = frames.map((f) => images.findIndex((image) => image.equals(f.jpeg)));
    expect(order.slice(0, 7)).toEqual([0, 1, 2, 0, 1, 2, 0]);
    expect(frames.map((f) => f.seq)).toEqual(frames.map((_, i) => i + 1));
    expect(camera.stats().fps).toBeCloseTo(20, -1);
    expect(frames[0]).toMatchObject({ width: 32, height: 24 });
  });

  it('with nothing plugged in, shows a moving 640×480 test picture', async () => {
    const { frames } = await started({ fps: 10 });
    await expect.poll(() => frames.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(3);
    const meta = await sharp(frames[0]!.jpeg).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 640, 480]);
    expect(frames[0]!.jpeg.equals(frames[1]!.jpeg)).toBe(false);
  });

  it('asks a generator for the frame due now, skipping frames while it is still busy rather than queueing', async () => {
    const image = await solid(50);
    const asked: number[] = [];
    const generator: FrameSource = {
      kind: 'generator',
      frame: async (index, size) => {
        asked.push(index);
        expect(size).toEqual({ width: 320, height: 240, fps: 25 });
        await sleep(130);
        return image;
      },
    };
    const { frames } = await started({ fps: 25, width: 320, height: 240 }, generator);
    await sleep(1_000);
    // 25 fps asked for, but each frame takes 130 ms to make: about 8 per second, none queued.
    expect(frames.length).toBeGreaterThanOrEqual(5);
    expect(frames.length).toBeLessThanOrEqual(10);
    const steps = asked.slice(1).map((index, i) => index - asked[i]!);
    expect(Math.min(...steps)).toBeGreaterThanOrEqual(3);
  });

  it('a failing generator is a device error', async () => {
    let calls = 0;
    const image = await solid(50);
    const generator: FrameSource = {
      kind: 'generator',
      frame: () => {
        if (++calls > 3) throw new Error('renderer crashed');
        return image;
      },
    };
    const { camera, events } = await started({ fps: 30 }, generator);
    await expect.poll(() => camera.info().state, { timeout: 2_000 }).toBe('error');
    expect(events.at(-1)).toMatchObject({ type: 'error', message: "the simulated camera's frame source failed: renderer crashed" });
  });

  it('plays a video file in a loop through ffmpeg at the configured size and rate', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'camera-video-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const video = join(dir, 'half-second.mp4');
    await promisify(execFile)('ffmpeg', ['-nostdin', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', '-t', '0.5', '-c:v', 'mpeg4', video]);
    const { camera, frames } = await started({ video, width: 160, height: 120, fps: 10 });
    expect(camera.info().detail).toBe(`video ${video} looped, 160×120 at 10 fps`);
    await sleep(1_300);
    // Past the end of the half-second video: it loops.
    expect(frames.length).toBeGreaterThanOrEqual(10);
    expect(frames.at(-1)).toMatchObject({ width: 160, height: 120 });
  });
});
