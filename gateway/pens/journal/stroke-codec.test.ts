import { describe, expect, it } from 'vitest';
import { seeded } from '../../util/random.js';
import type { Stroke } from '../strokes/stroke.js';
import { decodeRecord, encodePageSent, encodeStroke, JournalFormatError } from './stroke-codec.js';
import { DotTrail } from '../strokes/dot-trail.js';

/** A stroke as the builder makes them: coordinates in hundredths of a unit, whole-ms times. */
function randomStroke(rand: () => number, dots: number): Stroke {
  let [x, y, t, force] = [Math.floor(rand() * 9000), Math.floor(rand() * 9000), 1_764_000_000_000 + Math.floor(rand() * 1e7), 400];
  const startedAt = t;
  return {
    pen: `pen-hub-1/${Math.floor(rand() * 40)}`,
    mac: rand() < 0.2 ? null : '9C:7B:D2:00:00:01',
    address: { section: 3, owner: 27, note: 603, page: 1 + Math.floor(rand() * 60) },
    eraser: rand() < 0.1,
    color: rand() < 0.5 ? null : 0xff000000,
    startedAt,
    endedAt: startedAt + dots * 8 + 5,
    dots: DotTrail.of(Array.from({ length: dots }, () => {
      // Mostly small steps, now and then a jump (a spike kept, a page's far corner).
      x = Math.max(0, x + (rand() < 0.02 ? Math.floor(rand() * 40_000) - 20_000 : Math.floor(rand() * 60) - 30));
      y = Math.max(0, y + Math.floor(rand() * 60) - 30);
      t += rand() < 0.05 ? 0 : 8;
      force = Math.min(1023, Math.max(0, force + Math.floor(rand() * 17) - 8));
      return { x: x / 100, y: y / 100, t, force };
    })),
    repairs: rand() < 0.3 ? [{ kind: 'synthetic-up', because: 'page-change' }, { kind: 'missed-events', count: 3 }] : [],
    lostDots: rand() < 0.5 ? null : Math.floor(rand() * 4),
  };
}

describe('stroke journal records', () => {
  it('a stroke comes back exactly as it went in, in about 5 bytes a dot', () => {
    const rand = seeded(3);
    let bytes = 0;
    let dots = 0;
    for (let n = 0; n < 500; n++) {
      const stroke = randomStroke(rand, Math.floor(rand() * 300));
      const body = encodeStroke(stroke);
      bytes += body.length;
      dots += stroke.dots.length;
      expect(decodeRecord(body)).toEqual({ kind: 'stroke', stroke });
    }
    expect(bytes / dots).toBeLessThan(6);
  });

  it('a page sent comes back too', () => {
    const sent = { key: '3.27.603.2', revision: 2, strokes: 41 };
    expect(decodeRecord(encodePageSent(sent))).toEqual({ kind: 'page-sent', sent });
  });

  it('refuses bodies no encoder writes, with the reason', () => {
    const body = encodeStroke(randomStroke(seeded(4), 50));
    expect(() => decodeRecord(body.subarray(0, body.length - 3))).toThrow(JournalFormatError);
    expect(() => decodeRecord(Buffer.concat([body, Buffer.from([1])]))).toThrow(/after its last dot/);
    expect(() => decodeRecord(Buffer.from([9, 1, 2]))).toThrow(/unknown record kind 9/);
    expect(() => decodeRecord(Buffer.from([2, 0x7b]))).toThrow(/not JSON/);
    expect(() => decodeRecord(Buffer.concat([Buffer.from([1, 2]), Buffer.from('{}'), Buffer.from([0])]))).toThrow(/lacks pen/);
    // A huge dot count in a short body is damage, not a reason to allocate.
    const header = Buffer.from(JSON.stringify({ pen: 'p', address: {} }));
    expect(() => decodeRecord(Buffer.concat([Buffer.from([1, header.length]), header, Buffer.from([0xff, 0xff, 0xff, 0x7f, 0, 0])]))).toThrow(/claims/);
  });

  it('never throws anything but a format error on random damage', () => {
    const rand = seeded(5);
    const body = encodeStroke(randomStroke(rand, 120));
    for (let n = 0; n < 5_000; n++) {
      const damaged = Buffer.from(body);
      for (let k = 0; k < 1 + Math.floor(rand() * 4); k++) damaged[Math.floor(rand() * damaged.length)] = Math.floor(rand() * 256);
      try {
        decodeRecord(damaged.subarray(0, Math.floor(rand() * damaged.length) + 1));
      } catch (err) {
        expect(err).toBeInstanceOf(JournalFormatError);
      }
    }
  });
});
