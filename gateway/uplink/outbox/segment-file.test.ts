import { describe, expect, it } from 'vitest';
import { decodeBody, encodeMessage, encodeSnapshot, KIND_MESSAGE, KIND_SNAPSHOT, RecordFormatError } from './record.js';
import { encodeFrame, FRAME_HEADER_BYTES, parseSegmentFileName, scanFrames, segmentFileName } from './segment-file.js';
import { prng } from './test-support/helpers.js';
import type { Priority } from './types.js';

const PRIORITIES: Priority[] = ['result', 'event', 'telemetry'];

/** A segment image: a snapshot then n messages of varying size, with each frame's offset and end. */
function sampleSegment(n = 20): { buf: Buffer; bodies: Buffer[]; offsets: number[]; ends: number[] } {
  const bodies = [encodeSnapshot(new Map([['health', 3], ['device/ü-1/event', 2 ** 40]]))];
  for (let i = 1; i <= n; i++) {
    const payload = Buffer.from(JSON.stringify({ i, pad: 'x'.repeat((i * 37) % 400) }));
    bodies.push(encodeMessage({ lsn: 1000 + i, seq: i, stream: `s/${i % 3}`, priority: PRIORITIES[i % 3]!, retain: i % 2 === 0, enqueuedAt: 1.7e12 + i }, payload));
  }
  const frames = bodies.map(encodeFrame);
  const offsets: number[] = [];
  const ends: number[] = [];
  let at = 0;
  for (const f of frames) {
    offsets.push(at);
    at += f.length;
    ends.push(at);
  }
  return { buf: Buffer.concat(frames), bodies, offsets, ends };
}

function scan(buf: Buffer): ReturnType<typeof scanFrames> & { found: Map<number, Buffer> } {
  const found = new Map<number, Buffer>();
  const result = scanFrames(buf, (body, offset) => found.set(offset, Buffer.from(body)));
  return { ...result, found };
}

describe('record bodies', () => {
  it('round-trip messages and snapshots, large numbers and UTF-8 included', () => {
    const payload = Buffer.from('{"a":"ü"}');
    const header = { lsn: 2 ** 53 - 1, seq: 2 ** 40 + 5, stream: 'device/scännér/event', priority: 'telemetry' as const, retain: true, enqueuedAt: 1_700_000_000_123.5 };
    expect(decodeBody(encodeMessage(header, payload))).toEqual({ kind: KIND_MESSAGE, ...header, payload });
    const seqs = new Map([['a', 1], ['ü', 2 ** 50]]);
    expect(decodeBody(encodeSnapshot(seqs))).toEqual({ kind: KIND_SNAPSHOT, seqs });
    expect(decodeBody(encodeSnapshot(new Map()))).toEqual({ kind: KIND_SNAPSHOT, seqs: new Map() });
  });

  it('rejects impossible layouts', () => {
    expect(() => decodeBody(Buffer.from([9, 0, 0]))).toThrow(RecordFormatError);
    expect(() => decodeBody(Buffer.from([KIND_MESSAGE, 0, 0, 0, 0]))).toThrow(RecordFormatError);
    const snapshot = encodeSnapshot(new Map([['abc', 1]]));
    expect(() => decodeBody(snapshot.subarray(0, snapshot.length - 1))).toThrow(RecordFormatError);
  });
});

describe('segment file names', () => {
  it('are the zero-padded first LSN', () => {
    expect(segmentFileName(1)).toBe('00000000000000000001.seg');
    expect(parseSegmentFileName(segmentFileName(123456789012))).toBe(123456789012);
    expect(parseSegmentFileName('acks.json')).toBeNull();
    expect(parseSegmentFileName('0001.seg')).toBeNull();
  });
});

describe('scanFrames', () => {
  it('returns every frame of an intact file at its offset', () => {
    const { buf, bodies, offsets } = sampleSegment();
    const { found, skipped, tail } = scan(buf);
    expect([...found.keys()]).toEqual(offsets);
    expect([...found.values()]).toEqual(bodies);
    expect(skipped).toEqual([]);
    expect(tail).toBeNull();
  });

  it('treats a file cut at any byte as a torn tail and keeps everything before the cut', () => {
    const { buf, offsets, ends } = sampleSegment(8);
    for (let cut = 0; cut <= buf.length; cut++) {
      const { found, skipped, tail } = scan(buf.subarray(0, cut));
      const complete = ends.filter((end) => end <= cut).length;
      expect([...found.keys()], `cut at ${cut}`).toEqual(offsets.slice(0, complete));
      expect(skipped).toEqual([]);
      const lastGood = complete === 0 ? 0 : ends[complete - 1]!;
      expect(tail, `cut at ${cut}`).toEqual(cut === lastGood ? null : { offset: lastGood, length: cut - lastGood, reason: expect.any(String) });
    }
  });

  it('treats a zero-filled end (file size grew, data never written) as a torn tail', () => {
    const { buf, offsets } = sampleSegment(5);
    const { found, tail } = scan(Buffer.concat([buf, Buffer.alloc(4096)]));
    expect([...found.keys()]).toEqual(offsets);
    expect(tail).toMatchObject({ offset: buf.length, length: 4096 });
  });

  it('steps over a destroyed sector in the middle and keeps every frame outside it', () => {
    const { buf, offsets, ends } = sampleSegment(30);
    const damaged = Buffer.from(buf);
    const from = Math.floor(buf.length / 3);
    prngFill(damaged, from, from + 512, 3);
    const { found, skipped, tail } = scan(damaged);
    const outside = offsets.filter((o, i) => ends[i]! <= from || o >= from + 512);
    expect([...found.keys()]).toEqual(outside);
    expect(skipped).toHaveLength(1);
    expect(tail).toBeNull();
  });

  it('under random byte flips never returns a wrong frame and loses only the frames hit', () => {
    const { buf, bodies, offsets, ends } = sampleSegment(25);
    const rand = prng(42);
    for (let round = 0; round < 400; round++) {
      const damaged = Buffer.from(buf);
      const hits = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => Math.floor(rand() * buf.length));
      for (const at of hits) damaged[at] = damaged[at]! ^ (1 + Math.floor(rand() * 255));
      const { found, skipped, tail } = scan(damaged);
      const hitFrames = new Set(hits.map((at) => ends.findIndex((end) => at < end)));
      // Plain comparisons first: 400 rounds of expect() on buffers would dominate the run time.
      const wrong = offsets.filter((offset, i) => (hitFrames.has(i) ? found.has(offset) : !found.get(offset)?.equals(bodies[i]!)));
      expect(wrong, `round ${round}: frames returned wrongly or lost`).toEqual([]);
      expect(found.size).toBe(offsets.length - hitFrames.size);
      expect(skipped.length + (tail ? 1 : 0)).toBeGreaterThan(0);
      // Damage reaches the end exactly when the last frame was hit.
      expect(tail !== null).toBe(hitFrames.has(offsets.length - 1));
    }
  });

  it('frames carry the body length and its CRC-32C', () => {
    const frame = encodeFrame(Buffer.from('hello'));
    expect(frame.readUInt32LE(0)).toBe(5);
    expect(frame.readUInt32LE(4)).toBe(0x9a71bb4c);
    expect(frame.subarray(FRAME_HEADER_BYTES).toString()).toBe('hello');
  });
});

function prngFill(buf: Buffer, from: number, to: number, seed: number): void {
  const rand = prng(seed);
  for (let i = from; i < to; i++) buf[i] = Math.floor(rand() * 256);
}
