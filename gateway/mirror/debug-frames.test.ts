import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CameraFrame } from '../../drivers/camera/camera.js';
import { DebugFrames } from './debug-frames.js';

/** A logger whose lines are kept, to see what was said. */
function recordingLogger() {
  const lines: { level: number; msg: string; dir?: string; err?: { message: string } }[] = [];
  return { logger: pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) }), lines };
}

let jpeg: Buffer;
beforeAll(async () => {
  jpeg = await sharp({ create: { width: 32, height: 24, channels: 3, background: '#6b7078' } }).jpeg().toBuffer();
});

/** Frame `seq` of a camera; each frame's bytes name it, so a saved file can be traced to its frame. */
const frame = (seq: number): CameraFrame => ({ jpeg: Buffer.concat([jpeg, Buffer.from(`#${seq}`)]), seq, capturedAt: seq * 66, width: 32, height: 24 });
const made: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'debug-frames-'));
  made.push(dir);
  return dir;
};
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('debug frames (settings mirror.debugSaveFrames)', () => {
  it('off: writes nothing, not even the folder', () => {
    const dir = join(tempDir(), 'mirror-debug-frames', 'camera-1');
    const { logger, lines } = recordingLogger();
    const debug = new DebugFrames(dir, () => false, logger);
    for (let seq = 1; seq <= 200; seq++) debug.offer(frame(seq));
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(join(dir, '..'))).toBe(false);
    expect(lines).toEqual([]);
  });

  it('on: saves every 30th frame as it came from the camera, and keeps only the newest 100', () => {
    const dir = join(tempDir(), 'mirror-debug-frames', 'camera-1');
    const debug = new DebugFrames(dir, () => true, recordingLogger().logger);
    for (let seq = 1; seq <= 61; seq++) debug.offer(frame(seq));
    expect(readdirSync(dir)).toEqual(['0000000001.jpg', '0000000031.jpg', '0000000061.jpg']);
    expect(readFileSync(join(dir, '0000000031.jpg')).equals(frame(31).jpeg)).toBe(true);
    // 105 saved in all (frames 1, 31, … 3121): the oldest five are gone.
    for (let seq = 62; seq <= 30 * 104 + 1; seq++) debug.offer(frame(seq));
    const kept = readdirSync(dir).sort();
    expect(kept).toHaveLength(100);
    expect(kept[0]).toBe(`${String(1 + 30 * 5).padStart(10, '0')}.jpg`);
    expect(kept.at(-1)).toBe('0000003121.jpg');
    expect(kept.map((f) => (Number(f.slice(0, 10)) - 1) % 30)).toEqual(kept.map(() => 0));
  });

  it('counts only frames offered while on, and stops saving the moment it is turned off', () => {
    const dir = join(tempDir(), 'frames');
    let on = false;
    const debug = new DebugFrames(dir, () => on, recordingLogger().logger);
    for (let seq = 1; seq <= 10; seq++) debug.offer(frame(seq));
    on = true;
    for (let seq = 11; seq <= 45; seq++) debug.offer(frame(seq));
    on = false;
    for (let seq = 46; seq <= 200; seq++) debug.offer(frame(seq));
    expect(readdirSync(dir).sort()).toEqual(['0000000011.jpg', '0000000041.jpg']);
  });

  it('a frame that cannot be saved is logged, never thrown at the camera loop', () => {
    const parent = tempDir();
    const dir = join(parent, 'mirror-debug-frames');
    // The folder's path is taken by a file: nothing can be saved there.
    writeFileSync(dir, 'not a folder');
    const { logger, lines } = recordingLogger();
    const debug = new DebugFrames(dir, () => true, logger);
    expect(() => {
      for (let seq = 1; seq <= 31; seq++) debug.offer(frame(seq));
    }).not.toThrow();
    const warnings = lines.filter((l) => l.msg === 'debug frame not saved');
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatchObject({ level: 40, dir });
    expect(warnings[0]!.err?.message).toMatch(/EEXIST|ENOTDIR/);
    expect(readFileSync(dir, 'utf8')).toBe('not a folder');
  });
});
