import { describe, expect, it } from 'vitest';
import { emptyCounters } from '../protocol/frame-splitter.js';
import { crc16 } from './crc16.js';
import { encodeEnvelope, encodePenData, Kind, MAX_PAYLOAD_BYTES } from './envelope.js';
import { EnvelopeSplitter } from './envelope-splitter.js';

function splitter() {
  const counters = emptyCounters();
  const got: { kind: number; slot: number; payload: Buffer; version: number }[] = [];
  const s = new EnvelopeSplitter(counters, (kind, slot, payload, version) => got.push({ kind, slot, payload: Buffer.from(payload), version }));
  return { s, counters, got };
}

describe('hub envelope v1', () => {
  it('uses CRC-16/CCITT-FALSE and the documented layout', () => {
    expect(crc16(Buffer.from('123456789'))).toBe(0x29b1);
    // The battery example of HUB-PROTOCOL.md: slot 7 at 87 %.
    expect(encodeEnvelope(Kind.battery, 7, Buffer.of(87)).toString('hex')).toBe('a55a0104070100571966');
  });

  it('round-trips every kind, slot and payload size, cut at every offset', () => {
    const envelopes = [encodeEnvelope(Kind.hello, 0xff, Buffer.from([1, 64, 0])), encodeEnvelope(Kind.penData, 63, Buffer.from([0xa5, 0x5a, 0xa5])), encodeEnvelope(Kind.penDisconnected, 0, Buffer.of(2)), encodeEnvelope(Kind.penData, 1)];
    const wire = Buffer.concat(envelopes);
    for (let cut = 0; cut <= wire.length; cut++) {
      const { s, got, counters } = splitter();
      s.push(wire.subarray(0, cut));
      s.push(wire.subarray(cut));
      expect(got.map((g) => [g.kind, g.slot, [...g.payload]])).toEqual([
        [Kind.hello, 0xff, [1, 64, 0]],
        [Kind.penData, 63, [0xa5, 0x5a, 0xa5]],
        [Kind.penDisconnected, 0, [2]],
        [Kind.penData, 1, []],
      ]);
      expect(counters.garbageBytes + counters.malformedFrames).toBe(0);
    }
  });

  it('drops an envelope with a bad CRC and finds the next one, even inside the bad one', () => {
    const good = encodeEnvelope(Kind.battery, 2, Buffer.of(50));
    const bad = Buffer.from(good);
    bad[7] = 51;
    const { s, got, counters } = splitter();
    s.push(Buffer.concat([Buffer.from([0, 0xa5, 0xa5]), bad, good, Buffer.from('noise'), good]));
    expect(got.map((g) => g.payload[0])).toEqual([50, 50]);
    expect(counters.malformedFrames).toBe(1);
    expect(counters.garbageBytes).toBeGreaterThanOrEqual(3 + 5);
  });

  it('treats an impossible length as a false sync without waiting for 64 KiB', () => {
    const header = Buffer.from([0xa5, 0x5a, 1, Kind.penData, 0, 0xff, 0xff]);
    const good = encodeEnvelope(Kind.battery, 2, Buffer.of(50));
    const { s, got, counters } = splitter();
    s.push(Buffer.concat([header, good]));
    expect(got).toHaveLength(1);
    expect(counters.oversizeFrames).toBe(1);
    expect(s.buffered).toBe(0);
  });

  it('hands on envelopes of other versions and kinds for the receiver to judge (the layout is frozen)', () => {
    const { s, got } = splitter();
    s.push(Buffer.concat([encodeEnvelope(0x42, 1, Buffer.of(9), 2), encodeEnvelope(0x7e, 1)]));
    expect(got.map((g) => [g.kind, g.version])).toEqual([
      [0x42, 2],
      [0x7e, 1],
    ]);
  });

  it('cuts long pen data into envelopes of at most the v1 limit', () => {
    const data = Buffer.alloc(MAX_PAYLOAD_BYTES * 2 + 5, 0xc0);
    const { s, got } = splitter();
    for (const e of encodePenData(4, data)) s.push(e);
    expect(got.map((g) => g.payload.length)).toEqual([MAX_PAYLOAD_BYTES, MAX_PAYLOAD_BYTES, 5]);
    expect(Buffer.concat(got.map((g) => g.payload))).toEqual(data);
  });
});
