import type { CameraFrame } from './camera.js';

export interface LatestFrameSlotHooks {
  /** A frame was overwritten before anyone took it. */
  onDrop?: () => void;
  /** The slot was closed: unsubscribe it from its camera. */
  onClose?: () => void;
}

interface Waiter {
  resolve: (frame: CameraFrame) => void;
  reject: (reason: unknown) => void;
}

/**
 * Holds at most one frame: the newest not yet taken. A consumer that is slower than the camera
 * thus always works on the freshest picture and never on a backlog; every frame overwritten
 * unseen is counted as dropped. Memory is one frame, however slow the consumer.
 */
export class LatestFrameSlot {
  #frame: CameraFrame | null = null;
  #waiters: Waiter[] = [];
  #dropped = 0;
  #closed = false;

  constructor(private readonly hooks: LatestFrameSlotHooks = {}) {}

  put(frame: CameraFrame): void {
    if (this.#closed) return;
    if (this.#waiters.length > 0) {
      for (const waiter of this.#waiters.splice(0)) waiter.resolve(frame);
      return;
    }
    if (this.#frame) {
      this.#dropped += 1;
      this.hooks.onDrop?.();
    }
    this.#frame = frame;
  }

  /** The newest frame not yet taken, or the next one to arrive. Concurrent callers share it. */
  next(signal?: AbortSignal): Promise<CameraFrame> {
    if (this.#closed) return Promise.reject(new Error('frame slot closed'));
    if (signal?.aborted) return Promise.reject(signal.reason);
    const held = this.#frame;
    if (held) {
      this.#frame = null;
      return Promise.resolve(held);
    }
    return new Promise<CameraFrame>((resolve, reject) => {
      const onAbort = (): void => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        resolve: (frame) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(frame);
        },
        reject: (reason) => {
          signal?.removeEventListener('abort', onAbort);
          reject(reason);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  /** Frames this slot overwrote before they were taken. */
  dropped(): number {
    return this.#dropped;
  }

  /** Rejects pending `next()` calls and stops receiving frames. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#frame = null;
    for (const waiter of this.#waiters.splice(0)) waiter.reject(new Error('frame slot closed'));
    this.hooks.onClose?.();
  }
}
