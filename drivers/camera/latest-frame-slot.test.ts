import { describe, expect, it } from 'vitest';
import type { CameraFrame } from './camera.js';
import { LatestFrameSlot } from './latest-frame-slot.js';

const frame = (seq: number): CameraFrame => ({ jpeg: Buffer.alloc(1), seq, capturedAt: seq });

describe('latest-frame slot', () => {
  it('holds only the newest frame, counting the ones overwritten unseen', async () => {
    let drops = 0;
    const slot = new LatestFrameSlot({ onDrop: () => (drops += 1) });
    for (let seq = 1; seq <= 1000; seq++) slot.put(frame(seq));
    expect((await slot.next()).seq).toBe(1000);
    expect([slot.dropped(), drops]).toEqual([999, 999]);
  });

  it('hands a frame to a waiting consumer directly, without counting a drop', async () => {
    const slot = new LatestFrameSlot();
    const waiting = [slot.next(), slot.next()];
    slot.put(frame(7));
    expect((await Promise.all(waiting)).map((f) => f.seq)).toEqual([7, 7]);
    slot.put(frame(8));
    expect((await slot.next()).seq).toBe(8);
    expect(slot.dropped()).toBe(0);
  });

  it('stops waiting on abort, and close rejects waiters and unsubscribes', async () => {
    let closed = 0;
    const slot = new LatestFrameSlot({ onClose: () => (closed += 1) });
    const controller = new AbortController();
    const aborted = slot.next(controller.signal);
    controller.abort(new Error('mirror idle'));
    await expect(aborted).rejects.toThrow('mirror idle');
    const pending = slot.next();
    slot.close();
    slot.close();
    await expect(pending).rejects.toThrow('frame slot closed');
    slot.put(frame(1));
    await expect(slot.next()).rejects.toThrow('frame slot closed');
    expect(closed).toBe(1);
  });
});
