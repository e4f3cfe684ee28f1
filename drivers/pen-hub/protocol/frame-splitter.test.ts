import { describe, expect, it } from 'vitest';
import { frame, packet } from './frame-encoder.js';
import { emptyCounters, FrameSplitter } from './frame-splitter.js';

function splitter(max?: number) {
  const counters = emptyCounters();
  const frames: Buffer[] = [];
  const s = new FrameSplitter(counters, (f, n) => frames.push(Buffer.from(f.subarray(0, n))), max);
  return { s, counters, frames };
}

describe('protocol 2.0 framing', () => {
  it('escapes C0, C1 and 7D wherever they are, header included, and gets every byte back', () => {
    const payload = Buffer.from([0xc0, 0xc1, 0x7d, 0x00, 0xe0, 0xe1, 0x5d, 0x20, 0xff]);
    // cmd 0x7D and a length whose low byte is C0 (192 bytes) put special bytes in the header too.
    const big = Buffer.concat([payload, Buffer.alloc(192 - payload.length, 0xc1)]);
    for (const raw of [packet(0x6c, payload), packet(0x7d, big), packet(0xc1, Buffer.alloc(0))]) {
      const wire = frame(raw);
      expect(wire.subarray(1, -1).includes(0xc0) || wire.subarray(1, -1).includes(0xc1)).toBe(false);
      const { s, frames } = splitter();
      s.push(wire);
      expect(frames).toEqual([raw]);
    }
    expect(frame(packet(0x6c, Buffer.of(0x7d)))).toEqual(Buffer.from([0xc0, 0x6c, 0x01, 0x00, 0x7d, 0x5d, 0xc1]));
  });

  it('reassembles frames cut at every byte offset', () => {
    const raw = packet(0x6c, Buffer.from([0x7d, 1, 2, 0xc0, 3, 0xc1]));
    const wire = Buffer.concat([frame(raw), frame(raw)]);
    for (let cut = 0; cut <= wire.length; cut++) {
      const { s, frames } = splitter();
      s.push(wire.subarray(0, cut));
      s.push(wire.subarray(cut));
      expect(frames).toEqual([raw, raw]);
    }
  });

  it('skips garbage to the next C0 and counts it; a frame cut short by a new C0 is malformed', () => {
    const raw = packet(0x6c, Buffer.from([1, 2, 3]));
    const { s, frames, counters } = splitter();
    s.push(Buffer.concat([Buffer.from([1, 2, 0xc1, 3]), frame(raw), Buffer.from([0xc0, 0x6c, 0x09]), frame(raw), Buffer.from([0xc0, 0xc1, 0xc0, 0x7d, 0xc1])]));
    expect(frames).toEqual([raw, raw]);
    expect(counters).toEqual({ frames: 2, garbageBytes: 4, oversizeFrames: 0, malformedFrames: 3 });
  });

  it('drops a frame over the limit whole, holds no more than the limit, and carries on', () => {
    const { s, frames, counters } = splitter(64);
    const raw = packet(0x6c, Buffer.from([1]));
    s.push(Buffer.concat([Buffer.of(0xc0), Buffer.alloc(1000, 7)]));
    expect(s.buffered).toBeLessThanOrEqual(64);
    s.push(Buffer.concat([Buffer.alloc(1000, 7), Buffer.of(0xc1), frame(raw)]));
    expect(frames).toEqual([raw]);
    expect(counters.oversizeFrames).toBe(1);
    expect(counters.garbageBytes).toBe(0);
  });
});
