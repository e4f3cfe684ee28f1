import type { PenEvent, PenRef } from '../pen-hub.js';
import { Event } from './commands.js';
import { framedPacket } from './frame-encoder.js';

type Body<E> = E extends PenEvent ? Omit<E, keyof PenRef> : never;
/** A pen event as the pen sends it, before the hub adds which pen and when: what the encoder takes. */
export type PenEventBody = Body<PenEvent>;

const TWO_POW_32 = 2 ** 32;

function writeU64(b: Buffer, value: number, at: number): void {
  b.writeUInt32LE(value % TWO_POW_32, at);
  b.writeUInt32LE(Math.floor(value / TWO_POW_32), at + 4);
}

/** Whole units and hundredths, the pen's split of a coordinate. */
function splitCoordinate(value: number): [number, number] {
  const hundredths = Math.round(value * 100);
  return [Math.floor(hundredths / 100), hundredths % 100];
}

/** `ec` null writes the pre-2.12 form of the event (no event counter; 0x63 for both down and up). */
function withCounter(ec: number | null, newCmd: number, oldCmd: number, body: Buffer): Buffer {
  return ec === null ? framedPacket(oldCmd, body) : framedPacket(newCmd, Buffer.concat([Buffer.of(ec), body]));
}

function dotBody(e: Extract<PenEventBody, { type: 'dot' }>): Buffer {
  const b = Buffer.alloc(13);
  const [x, fx] = splitCoordinate(e.x);
  const [y, fy] = splitCoordinate(e.y);
  b[0] = e.dtMs;
  b.writeUInt16LE(e.force, 1);
  b.writeUInt16LE(x, 3);
  b.writeUInt16LE(y, 5);
  b[7] = fx;
  b[8] = fy;
  b[9] = e.tiltX;
  b[10] = e.tiltY;
  b.writeUInt16LE(e.twist, 11);
  return b;
}

function downBody(upDown: number, at: number, tip: 'pen' | 'eraser', color: number): Buffer {
  const b = Buffer.alloc(14);
  b[0] = upDown;
  writeU64(b, at, 1);
  b[9] = tip === 'eraser' ? 1 : 0;
  b.writeUInt32LE(color, 10);
  return b;
}

function upBody(e: Extract<PenEventBody, { type: 'up' }>): Buffer {
  const b = Buffer.alloc(19);
  b[0] = e.ec ?? 0;
  writeU64(b, e.at, 1);
  b.writeUInt16LE(e.dotCount ?? 0, 9);
  const images = e.images ?? { total: 0, processed: 0, succeeded: 0, sent: 0 };
  [images.total, images.processed, images.succeeded, images.sent].forEach((n, i) => b.writeUInt16LE(n, 11 + 2 * i));
  return b;
}

function paperBody(e: Extract<PenEventBody, { type: 'paper' }>): Buffer {
  const b = Buffer.alloc(12);
  b.writeUIntLE(e.owner, 0, 3);
  b[3] = e.section;
  b.writeUInt32LE(e.note, 4);
  b.writeUInt32LE(e.page, 8);
  return b;
}

/** Error dot: Δt, force, then brightness, exposure, ndac time, label count, ndac error, class, error count (zeros). */
function errorDotBody(dtMs: number, force: number): Buffer {
  const b = Buffer.alloc(12);
  b[0] = dtMs;
  b.writeUInt16LE(force, 1);
  return b;
}

/** One framed protocol 2.0 event, as a pen would send it (simulator and tests). */
export function encodeEvent(e: PenEventBody): Buffer {
  switch (e.type) {
    case 'dot':
      return withCounter(e.ec, Event.dot, Event.oldDot, dotBody(e));
    case 'down':
      return e.ec === null ? framedPacket(Event.oldUpDown, downBody(0, e.at, e.tip, e.color)) : framedPacket(Event.down, downBody(e.ec, e.at, e.tip, e.color));
    case 'up':
      return e.ec === null ? framedPacket(Event.oldUpDown, downBody(1, e.at, 'pen', 0)) : framedPacket(Event.up, upBody(e));
    case 'paper':
      return withCounter(e.ec, Event.paper, Event.oldPaper, paperBody(e));
    case 'error-dot':
      return withCounter(e.ec, Event.errorDot, Event.oldErrorDot, errorDotBody(e.dtMs, e.force));
    case 'battery-low':
      return framedPacket(Event.lowBattery, Buffer.of(0));
    case 'power-off':
      return framedPacket(Event.powerOff, Buffer.of(0));
  }
}
