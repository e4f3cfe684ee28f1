import type { DeviceConfig, DeviceDriver } from '../../gateway/devices/registry.js';
import { invalidOption, oneOfOption, rejectUnknownOptions, wholeNumberOption } from '../../gateway/devices/driver-options.js';
import { rpicamPlan, v4l2Plan, videoFilePlan, type PictureSize, type V4l2Format } from './capture-plans.js';
import { probeCameras } from './probe.js';
import { ProcessCamera } from './process-camera.js';
import { SimulatedCamera, type FrameSource } from './simulated-camera.js';

export type * from './camera.js';
export type { PictureSize, V4l2Format } from './capture-plans.js';
export { CameraDevice } from './camera-device.js';
export { LatestFrameSlot } from './latest-frame-slot.js';
export { ProcessCamera } from './process-camera.js';
export { SimulatedCamera, type FrameSource } from './simulated-camera.js';

const OPTIONS = { real: ['capture', 'device', 'camera', 'format', 'width', 'height', 'fps', 'stallMs'], simulated: ['video', 'width', 'height', 'fps', 'stallMs'] } as const;

function absolutePath(config: DeviceConfig, key: string, example: string): string | undefined {
  const value = config.options?.[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !value.startsWith('/')) throw invalidOption(config, key, `an absolute path such as "${example}"`, value);
  return value;
}

/** Options that belong to the other capture command are mistakes, not things to ignore. */
function rejectForeign(config: DeviceConfig, capture: 'ffmpeg' | 'rpicam-vid'): void {
  const foreign = capture === 'ffmpeg' ? { camera: 'a Pi camera number, for capture "rpicam-vid"' } : { device: 'a /dev/video path, for capture "ffmpeg"', format: 'for capture "ffmpeg"' };
  for (const [key, what] of Object.entries(foreign)) {
    if (config.options?.[key] !== undefined) throw new Error(`devices[${config.id}].options.${key}: not used with capture "${capture}" (it is ${what})`);
  }
}

/** Room for any JPEG of the picture (a JPEG is smaller than raw RGB) while bounding garbage. */
function maxFrameBytes(size: PictureSize): number {
  return Math.max(2 * 1024 * 1024, size.width * size.height * 3);
}

/**
 * The camera driver (the magic mirror's). `real`: a V4L2 camera through ffmpeg (`device`
 * "/dev/video0", `format` "auto") or a Pi camera through rpicam-vid (`capture` "rpicam-vid",
 * `camera` 0); `width` 640, `height` 480, `fps` 15, `stallMs` 5000. `simulated`: `env.frameSource`
 * (e.g. a synthetic person exercising) or a moving test picture, or `options.video` played in a loop.
 */
export function cameraDriver(env: { frameSource?: FrameSource } = {}): DeviceDriver {
  return {
    create(config, { logger }) {
      rejectUnknownOptions(config, OPTIONS[config.transport], 'camera');
      const size: PictureSize = {
        width: wholeNumberOption(config, 'width', 16, 4096) ?? 640,
        height: wholeNumberOption(config, 'height', 16, 4096) ?? 480,
        fps: wholeNumberOption(config, 'fps', 1, 120) ?? 15,
      };
      const common = { id: config.id, logger, stallMs: wholeNumberOption(config, 'stallMs', 500, 60_000) ?? 5_000, maxFrameBytes: maxFrameBytes(size) };
      if (config.transport === 'real') {
        const capture = oneOfOption(config, 'capture', ['ffmpeg', 'rpicam-vid'] as const) ?? 'ffmpeg';
        rejectForeign(config, capture);
        const plan =
          capture === 'ffmpeg'
            ? v4l2Plan(absolutePath(config, 'device', '/dev/video0') ?? '/dev/video0', size, oneOfOption<V4l2Format>(config, 'format', ['auto', 'mjpeg', 'raw']) ?? 'auto')
            : rpicamPlan(wholeNumberOption(config, 'camera', 0, 7) ?? 0, size);
        return new ProcessCamera({ ...common, transport: 'real', plan });
      }
      const video = absolutePath(config, 'video', '/srv/mirror/demo.mp4');
      const source = video ? ({ kind: 'video', path: video } as const) : env.frameSource;
      if (source?.kind === 'video') return new ProcessCamera({ ...common, transport: 'simulated', plan: videoFilePlan(source.path, size) });
      return new SimulatedCamera({ ...common, size, ...(source ? { source } : {}) });
    },
    probe: probeCameras,
  };
}
