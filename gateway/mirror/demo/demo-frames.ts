import type { FrameSource } from '../../../drivers/camera/index.js';
import { renderPerson } from './render-person.js';
import { styleFor } from './style.js';
import { demoTimeline, type TimelineFrame } from './timeline.js';

export interface DemoOptions {
  /** One exercise id or several, performed in turn; default: all five built-in motions. */
  exercise?: string | readonly string[];
  /** Per exercise; default 5. */
  reps?: number;
  /** The camera's rate: the motion keeps its real tempo at this rate. Default 15. */
  fps?: number;
  width?: number;
  height?: number;
  /** Picks the student's looks and varies each rep's depth. */
  seed?: number;
}

export interface DemoSequence {
  /** What each frame shows: the drawn keypoints and the activity. */
  readonly timeline: readonly TimelineFrame[];
  readonly fps: number;
  readonly width: number;
  readonly height: number;
  /**
   * For `cameraDriver({ frameSource })`: frame `index` (looped), rendered on first use and kept,
   * so the first pass costs one render per frame and every later pass none.
   */
  readonly source: FrameSource;
  render(index: number): Promise<Buffer>;
  /** Every frame, rendered now (e.g. for `{ kind: 'images' }` or a test). */
  renderAll(): Promise<Buffer[]>;
  /** JPEG bytes held by the cache. */
  cachedBytes(): number;
}

export const DEMO_EXERCISES = ['squat', 'jumping-jack', 'high-knees', 'arm-raise', 'lunge'] as const;

/**
 * A student walking in, doing each exercise with rests in between, and walking out, as JPEGs for
 * the simulated camera. About 75 s at 15 fps for all five exercises (≈ 1100 frames, ≈ 30 MB of
 * JPEGs at 640 × 480).
 */
export function demoExerciseFrames(options: DemoOptions = {}): DemoSequence {
  const width = options.width ?? 640;
  const height = options.height ?? 480;
  const fps = options.fps ?? 15;
  const seed = options.seed ?? 1;
  const exercises = options.exercise === undefined ? DEMO_EXERCISES : typeof options.exercise === 'string' ? [options.exercise] : options.exercise;
  const timeline = demoTimeline({ exercises, reps: options.reps ?? 5, fps, width, height, seed });
  const style = styleFor(seed);
  const cache = new Map<number, Promise<Buffer>>();
  let bytes = 0;

  const render = (index: number): Promise<Buffer> => {
    const i = ((index % timeline.length) + timeline.length) % timeline.length;
    let jpeg = cache.get(i);
    if (!jpeg) {
      jpeg = renderPerson(timeline[i]!.keypoints, { width, height, style });
      jpeg.then(
        (b) => (bytes += b.length),
        () => cache.delete(i),
      );
      cache.set(i, jpeg);
    }
    return jpeg;
  };

  return {
    timeline,
    fps,
    width,
    height,
    // Frames are drawn at this sequence's size: configure the simulated camera with the same.
    source: { kind: 'generator', frame: (index) => render(index) },
    render,
    async renderAll() {
      const frames: Buffer[] = [];
      for (let i = 0; i < timeline.length; i++) frames.push(await render(i));
      return frames;
    },
    cachedBytes: () => bytes,
  };
}
