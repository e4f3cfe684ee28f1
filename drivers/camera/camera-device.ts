import { BaseDevice, type DeviceAction, type Transport } from '../../gateway/devices/device.js';
import type { Logger } from '../../gateway/log/logger.js';
import type { Camera, CameraFrame, CameraStats } from './camera.js';
import { LatestFrameSlot } from './latest-frame-slot.js';
import { MjpegSplitter, type SplitFrame } from './mjpeg-splitter.js';

export interface CameraDeviceOptions {
  id: string;
  transport: Transport;
  logger: Logger;
  /** No frame for this long while running means the camera is stuck: the device fails and is restarted. */
  stallMs: number;
  /** Frames longer than this are dropped: bounds memory when the stream is garbage. */
  maxFrameBytes: number;
}

/** Opening a camera (ffmpeg start-up, V4L2 negotiation, a Pi camera's tuning) takes this long on top. */
const STARTUP_GRACE_MS = 5_000;
const RATE_WINDOW_MS = 2_000;

/** Frames per second over a sliding window; falls to 0 when frames stop. */
class RateMeter {
  #times: number[] = [];

  add(at: number): void {
    this.#times.push(at);
    this.#prune(at);
  }

  perSecond(now: number): number {
    this.#prune(now);
    const first = this.#times[0];
    const last = this.#times.at(-1);
    if (first === undefined || last === undefined || last === first) return 0;
    return ((this.#times.length - 1) * 1000) / (last - first);
  }

  #prune(now: number): void {
    while (this.#times.length > 0 && this.#times[0]! < now - RATE_WINDOW_MS) this.#times.shift();
  }
}

/**
 * A camera as a gateway device (kind `camera`). Transports only move bytes: they call `receive()`
 * with MJPEG stream bytes and `captureFailed()` when their source dies; this class splits frames,
 * fans them out, waits for the first frame before reporting ready, and watches for stalls.
 * A failure while running puts the device in state 'error', which the registry's supervisor
 * answers with a restart after a backoff.
 */
export abstract class CameraDevice extends BaseDevice implements Camera {
  readonly #splitter: MjpegSplitter;
  readonly #listeners = new Set<(frame: CameraFrame) => void>();
  readonly #rate = new RateMeter();
  #latest: CameraFrame | null = null;
  #seq = 0;
  #dropped = 0;
  #starts = 0;
  #watchdog: NodeJS.Timeout | undefined;
  /** Between the first frame and the end of stop(): failures now go to fail(), not to the start. */
  #running = false;
  #startError: Error | undefined;
  #resolveStart: (() => void) | undefined;
  #rejectStart: ((err: Error) => void) | undefined;

  constructor(private readonly cameraOptions: CameraDeviceOptions) {
    super({ id: cameraOptions.id, kind: 'camera', transport: cameraOptions.transport, logger: cameraOptions.logger });
    this.#splitter = new MjpegSplitter(cameraOptions.maxFrameBytes, (frame) => this.#deliver(frame));
  }

  /** Start producing bytes (spawn the process, start the timer); failures later go to captureFailed(). */
  protected abstract openCapture(): Promise<void>;
  /** Stop producing bytes and release everything; nothing may call receive() afterwards. */
  protected abstract closeCapture(): Promise<void>;
  /** The state detail while running, e.g. "/dev/video0 640×480 at 15 fps (ffmpeg)". */
  protected abstract describe(): string;

  /** Ready only once a whole frame has arrived: a camera that opens but sends nothing is not working. */
  protected override async onStart(): Promise<void> {
    this.#splitter.reset();
    this.#starts += 1;
    this.#startError = undefined;
    const started = new Promise<void>((resolve, reject) => {
      this.#resolveStart = resolve;
      this.#rejectStart = reject;
    });
    // Awaited below; this only keeps a failure during openCapture() from counting as unhandled.
    started.catch(() => undefined);
    const waitMs = this.cameraOptions.stallMs + STARTUP_GRACE_MS;
    const timer = setTimeout(() => this.captureFailed(new Error(`no frame within ${waitMs / 1000} s of starting ${this.describe()}`)), waitMs);
    try {
      await this.openCapture();
      await started;
      // The source may have died between its first frame and this line.
      if (this.#startError) throw this.#startError;
    } catch (err) {
      // A failed start must not leave a capture process behind, whether or not stop() follows.
      await this.closeCapture();
      throw err;
    } finally {
      clearTimeout(timer);
      this.#resolveStart = undefined;
      this.#rejectStart = undefined;
    }
    this.#running = true;
    this.#watchdog = setTimeout(() => this.captureFailed(new Error(`no frame for ${this.cameraOptions.stallMs / 1000} s from ${this.describe()}: the camera stopped sending`)), this.cameraOptions.stallMs);
    this.setState('ready', this.describe());
  }

  protected override async onStop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#watchdog);
    this.#watchdog = undefined;
    await this.closeCapture();
  }

  protected receive(chunk: Buffer): void {
    this.#splitter.push(chunk);
  }

  /** The source died or stalled: fails the start in progress, or the running device. */
  protected captureFailed(err: Error): void {
    if (!this.#running) {
      this.#startError ??= err;
      this.#rejectStart?.(err);
      return;
    }
    clearTimeout(this.#watchdog);
    this.#watchdog = undefined;
    this.fail(err);
  }

  onFrame(listener: (frame: CameraFrame) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  latest(): CameraFrame | null {
    return this.#latest;
  }

  slot(): LatestFrameSlot {
    let unsubscribe = (): void => undefined;
    const slot = new LatestFrameSlot({ onDrop: () => (this.#dropped += 1), onClose: () => unsubscribe() });
    unsubscribe = this.onFrame((frame) => slot.put(frame));
    return slot;
  }

  stats(): CameraStats {
    return {
      frames: this.#seq,
      dropped: this.#dropped,
      restarts: Math.max(0, this.#starts - 1),
      fps: Math.round(this.#rate.perSecond(performance.now()) * 10) / 10,
      ...this.#splitter.stats(),
    };
  }

  /** Counters only: a frame action would send a picture of the corridor over MQTT. */
  override actions(): Readonly<Record<string, DeviceAction>> {
    return { stats: async () => this.stats() };
  }

  #deliver(split: SplitFrame): void {
    const frame: CameraFrame = { ...split, seq: ++this.#seq, capturedAt: performance.now() };
    this.#latest = frame;
    this.#rate.add(frame.capturedAt);
    this.#watchdog?.refresh();
    this.#resolveStart?.();
    for (const listener of this.#listeners) {
      try {
        listener(frame);
      } catch (err) {
        this.logger.error({ err }, 'frame listener threw');
      }
    }
  }
}
