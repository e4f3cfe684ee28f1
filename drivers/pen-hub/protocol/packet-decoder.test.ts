import { describe, expect, it } from 'vitest';
import type { PenRef } from '../pen-hub.js';
import { encodeEvent, type PenEventBody } from './event-encoder.js';
import { framedPacket } from './frame-encoder.js';
import { emptyCounters, FrameSplitter } from './frame-splitter.js';
import { decodePacket, type DecodedPacket } from './packet-decoder.js';
import { notesResponse, setTimeResponse, settingsResponse, versionResponse } from './response-encoder.js';

const ref: PenRef = { pen: 'hub/3', mac: '9C:7B:D2:00:11:22', receivedAt: 1234 };

function decodeAll(wire: Buffer): DecodedPacket[] {
  const out: DecodedPacket[] = [];
  new FrameSplitter(emptyCounters(), (f, n) => out.push(decodePacket(f, n, ref))).push(wire);
  return out;
}

const at = 1_700_000_123_456;
const events: PenEventBody[] = [
  { type: 'down', ec: 255, at, tip: 'eraser', color: 0xff102030 },
  { type: 'paper', ec: 0, section: 3, owner: 0xabcdef, note: 600, page: 0x1234567 },
  { type: 'dot', ec: 1, dtMs: 8, force: 712, x: 12.34, y: 65535.99, tiltX: 60, tiltY: 192, twist: 0xc17d },
  { type: 'up', ec: 2, at: at + 900, dotCount: 112, images: { total: 120, processed: 115, succeeded: 113, sent: 112 } },
  { type: 'error-dot', ec: 3, dtMs: 16, force: 300 },
  { type: 'battery-low' },
  { type: 'power-off' },
];

describe('protocol 2.0 packet decoder', () => {
  it('decodes every live event with exact values, event counter included', () => {
    expect(decodeAll(Buffer.concat(events.map(encodeEvent)))).toEqual(events.map((e) => ({ ...ref, ...e })));
  });

  it('decodes the old firmware forms (before 2.12): no event counter, one command for down and up', () => {
    const old: PenEventBody[] = [
      { type: 'down', ec: null, at, tip: 'pen', color: 7 },
      { type: 'paper', ec: null, section: 3, owner: 27, note: 601, page: 9 },
      { type: 'dot', ec: null, dtMs: 9, force: 1, x: 0.05, y: 100.5, tiltX: 0, tiltY: 0, twist: 0 },
      { type: 'up', ec: null, at: at + 1, dotCount: null, images: null },
      { type: 'error-dot', ec: null, dtMs: 4, force: 2 },
    ];
    const frames = old.map(encodeEvent);
    expect(frames.map((f) => f[1])).toEqual([0x63, 0x64, 0x65, 0x63, 0x68]);
    expect(decodeAll(Buffer.concat(frames))).toEqual(old.map((e) => ({ ...ref, ...e })));
  });

  it('decodes the session answers', () => {
    const wire = Buffer.concat([
      versionResponse({ model: 'NWP-F30', firmware: '1.00', protocol: '2.18', mac: '9C:7B:D2:C0:7D:C1' }),
      settingsResponse({ locked: true, battery: 87, hover: true, autoPowerOffMin: 15, maxForce: 1023 }),
      notesResponse(),
      setTimeResponse(1),
    ]);
    expect(wire.subarray(0, 5)).toEqual(Buffer.from([0xc0, 0x81, 0x00, 0x41, 0x00]));
    expect(decodeAll(wire)).toEqual([
      { type: 'version', result: 0, model: 'NWP-F30', firmware: '1.00', protocol: '2.18', mac: '9C:7B:D2:C0:7D:C1' },
      { type: 'settings', result: 0, locked: true, battery: 87, hover: true, autoPowerOffMin: 15, maxForce: 1023 },
      { type: 'notes', result: 0 },
      { type: 'set-time', result: 1 },
    ]);
  });

  it('rejects unknown commands and packets whose length does not add up, without throwing', () => {
    const dot = encodeEvent({ type: 'dot', ec: 1, dtMs: 8, force: 100, x: 12.34, y: 5, tiltX: 1, tiltY: 2, twist: 3 });
    expect(decodeAll(framedPacket(0x73, Buffer.alloc(5)))).toEqual([{ type: 'unknown', cmd: 0x73 }]);
    expect(decodeAll(framedPacket(0x6c, Buffer.alloc(5)))).toEqual([{ type: 'malformed', cmd: 0x6c }]);
    expect(decodeAll(Buffer.from([0xc0, 0x6c, 0x0e, 0xc1, 0xc0, 0x81, 0xc1]))).toEqual([{ type: 'malformed', cmd: 0x6c }, { type: 'malformed', cmd: 0x81 }]);
    // A newer firmware's longer payload still decodes: the extra bytes are ignored.
    const longer = framedPacket(0x6c, Buffer.concat([dot.subarray(4, -1), Buffer.alloc(3)]));
    expect(decodeAll(longer)[0]).toMatchObject({ type: 'dot', x: 12.34 });
  });
});
