import type { Logger } from '../../gateway/log/logger.js';
import { errorMessage } from '../../gateway/devices/device.js';
import { CameraDevice } from './camera-device.js';
import type { PictureSize } from './capture-plans.js';
import { testPicture } from './test-picture.js';

/**
 * What a simulated camera shows: JPEGs played in a loop, a function that makes frame `index` (e.g.
 * a synthetic person exercising), or a video file played in a loop through ffmpeg.
 */
export type FrameSource =
  | { kind: 'images'; frames: readonly Buffer[] }
  | { kind: 'generator'; frame: (index: number, size: PictureSize) => Buffer | Promise<Buffer> }
  | { kind: 'video'; path: string };

export interface SimulatedCameraOptions {
  id: string;
  logger: Logger;
  size: PictureSize;
  /** Default: a moving test picture. Videos are played by ProcessCamera, not here. */
  source?: Exclude<FrameSource, { kind: 'video' }>;
  stallMs: number;
  maxFrameBytes: number;
}

/**
 * A camera with no hardware: frames at the configured rate, pushed as an MJPEG byte stream through
 * the same splitter, slots and watchdog as a real camera. A frame still being made when the next
 * one is due is skipped, as a real camera drops them, and the index follows the clock so generated
 * motion keeps its real pace.
 */
export class SimulatedCamera extends CameraDevice {
  #timer: NodeJS.Timeout | undefined;
  #making = false;

  constructor(private readonly opts: SimulatedCameraOptions) {
    super({ id: opts.id, transport: 'simulated', logger: opts.logger, stallMs: opts.stallMs, maxFrameBytes: opts.maxFrameBytes });
  }

  protected override async openCapture(): Promise<void> {
    const { width, height, fps } = this.opts.size;
    const source = this.opts.source ?? { kind: 'images', frames: await testPicture(width, height) };
    if (source.kind === 'images' && source.frames.length === 0) throw new Error('the simulated camera was given no images to play');
    const make = source.kind === 'images' ? (i: number) => source.frames[i % source.frames.length]! : (i: number) => source.frame(i, this.opts.size);
    // Paced against the start time rather than by setInterval, whose whole-millisecond steps drift.
    const period = 1000 / fps;
    const t0 = performance.now();
    const tick = (): void => {
      const index = Math.round((performance.now() - t0) / period);
      this.#timer = setTimeout(tick, Math.max(0, t0 + (index + 1) * period - performance.now()));
      if (this.#making) return;
      this.#making = true;
      Promise.resolve()
        .then(() => make(index))
        .then((jpeg) => {
          if (this.#timer) this.receive(jpeg);
        })
        .catch((err: unknown) => this.captureFailed(new Error(`the simulated camera's frame source failed: ${errorMessage(err)}`)))
        .finally(() => (this.#making = false));
    };
    tick();
  }

  protected override async closeCapture(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  protected override describe(): string {
    const { width, height, fps } = this.opts.size;
    const what = !this.opts.source ? 'test picture' : this.opts.source.kind === 'images' ? `${this.opts.source.frames.length} images looped` : 'generated frames';
    return `simulated ${width}×${height} at ${fps} fps (${what})`;
  }
}
