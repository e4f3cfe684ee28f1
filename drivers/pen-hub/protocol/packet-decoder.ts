import type { PenEvent, PenRef } from '../pen-hub.js';
import { Event, hasResultByte, Response } from './commands.js';
import { formatMac } from './mac.js';
import { SETTINGS_OFFSETS, VERSION_FIELDS } from './response-layout.js';

// Module-local aliases: imported bindings are getters under some loaders (tsx, vitest), and this runs per frame.
const Ev = Event;
const Rs = Response;
const resultByte = hasResultByte;

/** A pen's answer to one of the host's session requests. `result` 0 = OK. */
export type PenResponse =
  | { type: 'version'; result: number; model: string; firmware: string; protocol: string; mac: string | null }
  | { type: 'settings'; result: number; locked: boolean; battery: number; hover: boolean; autoPowerOffMin: number; maxForce: number }
  | { type: 'notes'; result: number }
  | { type: 'set-time'; result: number };

/** Not an event or answer: a command nobody here knows (skipped), or a packet that does not hold together. */
export type Rejected = { type: 'unknown'; cmd: number } | { type: 'malformed'; cmd: number };

export type DecodedPacket = PenEvent | PenResponse | Rejected;

const TWO_POW_32 = 2 ** 32;

/** u64 ms timestamps fit a double exactly for the next 280 000 years: no BigInt needed. */
function u64(b: Buffer, at: number): number {
  return b.readUInt32LE(at + 4) * TWO_POW_32 + b.readUInt32LE(at);
}

/** Integer and hundredths, as the pen sends a coordinate; computed once so 12 + 34 gives exactly 12.34. */
function coordinate(whole: number, hundredths: number): number {
  return (whole * 100 + hundredths) / 100;
}

function text(b: Buffer, at: number, size: number): string {
  const field = b.subarray(at, at + size);
  const nul = field.indexOf(0);
  return field.toString('latin1', 0, nul < 0 ? size : nul).trim();
}

/** All zeros: the pen did not fill in its address. */
function mac(b: Buffer, at: number): string | null {
  const bytes = b.subarray(at, at + 6);
  return bytes.every((x) => x === 0) ? null : formatMac(bytes);
}

/** Payload bytes each command needs at least; newer firmware may append fields, which are ignored. */
const MIN_PAYLOAD: Record<number, number> = {
  [Ev.down]: 14,
  [Ev.paper]: 13,
  [Ev.dot]: 14,
  [Ev.up]: 19,
  [Ev.errorDot]: 4,
  [Ev.oldUpDown]: 14,
  [Ev.oldPaper]: 12,
  [Ev.oldDot]: 13,
  [Ev.oldErrorDot]: 3,
  [Ev.lowBattery]: 0,
  [Ev.powerOff]: 0,
  [Rs.version]: VERSION_FIELDS.size,
  [Rs.settings]: SETTINGS_OFFSETS.size,
  [Rs.notes]: 0,
  [Rs.setTime]: 0,
};

/**
 * One un-escaped frame (`frame[0 .. length)`) into an event for `ref`'s pen, a session answer, or
 * a rejection. Never throws: every read is checked against the length first.
 */
export function decodePacket(frame: Buffer, length: number, ref: PenRef): DecodedPacket {
  const cmd = frame[0]!;
  const min = MIN_PAYLOAD[cmd];
  if (min === undefined) return { type: 'unknown', cmd };
  const p = resultByte(cmd) ? 4 : 3;
  if (length < p || frame.readUInt16LE(p - 2) !== length - p || length - p < min) return { type: 'malformed', cmd };
  const { pen, mac: penMac, receivedAt } = ref;
  switch (cmd) {
    case Ev.dot:
    case Ev.oldDot: {
      const ec = cmd === Ev.dot ? frame[p]! : null;
      const q = cmd === Ev.dot ? p + 1 : p;
      return {
        pen, mac: penMac, receivedAt, type: 'dot', ec,
        dtMs: frame[q]!,
        force: frame.readUInt16LE(q + 1),
        x: coordinate(frame.readUInt16LE(q + 3), frame[q + 7]!),
        y: coordinate(frame.readUInt16LE(q + 5), frame[q + 8]!),
        tiltX: frame[q + 9]!,
        tiltY: frame[q + 10]!,
        twist: frame.readUInt16LE(q + 11),
      };
    }
    case Ev.down:
      return { pen, mac: penMac, receivedAt, type: 'down', ec: frame[p]!, at: u64(frame, p + 1), tip: frame[p + 9] === 1 ? 'eraser' : 'pen', color: frame.readUInt32LE(p + 10) };
    case Ev.oldUpDown: {
      const at = u64(frame, p + 1);
      if (frame[p] === 1) return { pen, mac: penMac, receivedAt, type: 'up', ec: null, at, dotCount: null, images: null };
      return { pen, mac: penMac, receivedAt, type: 'down', ec: null, at, tip: frame[p + 9] === 1 ? 'eraser' : 'pen', color: frame.readUInt32LE(p + 10) };
    }
    case Ev.up:
      return {
        pen, mac: penMac, receivedAt, type: 'up', ec: frame[p]!,
        at: u64(frame, p + 1),
        dotCount: frame.readUInt16LE(p + 9),
        images: { total: frame.readUInt16LE(p + 11), processed: frame.readUInt16LE(p + 13), succeeded: frame.readUInt16LE(p + 15), sent: frame.readUInt16LE(p + 17) },
      };
    case Ev.paper:
    case Ev.oldPaper: {
      const ec = cmd === Ev.paper ? frame[p]! : null;
      const q = cmd === Ev.paper ? p + 1 : p;
      return { pen, mac: penMac, receivedAt, type: 'paper', ec, owner: frame.readUIntLE(q, 3), section: frame[q + 3]!, note: frame.readUInt32LE(q + 4), page: frame.readUInt32LE(q + 8) };
    }
    case Ev.errorDot:
      return { pen, mac: penMac, receivedAt, type: 'error-dot', ec: frame[p]!, dtMs: frame[p + 1]!, force: frame.readUInt16LE(p + 2) };
    case Ev.oldErrorDot:
      return { pen, mac: penMac, receivedAt, type: 'error-dot', ec: null, dtMs: frame[p]!, force: frame.readUInt16LE(p + 1) };
    case Ev.lowBattery:
      return { pen, mac: penMac, receivedAt, type: 'battery-low' };
    case Ev.powerOff:
      return { pen, mac: penMac, receivedAt, type: 'power-off' };
    default:
      return decodeResponse(frame, cmd, p);
  }
}

function decodeResponse(frame: Buffer, cmd: number, p: number): PenResponse {
  const result = frame[1]!;
  if (cmd === Rs.version) {
    const f = VERSION_FIELDS;
    return { type: 'version', result, model: text(frame, p + f.model, 16), firmware: text(frame, p + f.firmware, 16), protocol: text(frame, p + f.protocol, 8), mac: mac(frame, p + f.mac) };
  }
  if (cmd === Rs.settings) {
    const o = SETTINGS_OFFSETS;
    return {
      type: 'settings',
      result,
      locked: frame[p + o.locked] === 1,
      battery: frame[p + o.battery]!,
      hover: frame[p + o.hover] === 1,
      autoPowerOffMin: frame.readUInt16LE(p + o.autoPowerOffMin),
      maxForce: frame.readUInt16LE(p + o.maxForce),
    };
  }
  return { type: cmd === Rs.notes ? 'notes' : 'set-time', result };
}
