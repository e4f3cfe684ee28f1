import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CameraFrame } from '../../drivers/camera/camera.js';
import type { Logger } from '../log/logger.js';

const EVERY_NTH = 30;
const KEEP = 100;

/**
 * The one place a camera frame may reach the disk: settings `mirror.debugSaveFrames`, for
 * fault-finding, every 30th frame, the newest 100 kept. Off, it writes nothing and keeps nothing.
 */
export class DebugFrames {
  private seen = 0;

  constructor(
    private readonly dir: string,
    private readonly enabled: () => boolean,
    private readonly logger: Logger,
  ) {}

  offer(frame: CameraFrame): void {
    if (!this.enabled() || this.seen++ % EVERY_NTH !== 0) return;
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(join(this.dir, `${String(frame.seq).padStart(10, '0')}.jpg`), frame.jpeg);
      const files = readdirSync(this.dir).filter((f) => f.endsWith('.jpg')).sort();
      for (const old of files.slice(0, Math.max(0, files.length - KEEP))) rmSync(join(this.dir, old), { force: true });
    } catch (err) {
      this.logger.warn({ err, dir: this.dir }, 'debug frame not saved');
    }
  }
}
