import { Response } from './commands.js';
import { framedPacket } from './frame-encoder.js';
import { macBytes } from './mac.js';
import { SETTINGS_OFFSETS, VERSION_FIELDS } from './response-layout.js';

export interface PenIdentity {
  model: string;
  firmware: string;
  /** "2.18"; below "2.12" the pen sends the old event forms without event counter. */
  protocol: string;
  mac: string;
}

/** 0x81, as a pen answers the version request (simulator and tests). */
export function versionResponse(pen: PenIdentity, result = 0): Buffer {
  const f = VERSION_FIELDS;
  const payload = Buffer.alloc(f.size);
  payload.write(pen.model.slice(0, 16), f.model, 'latin1');
  payload.write(pen.firmware.slice(0, 16), f.firmware, 'latin1');
  payload.write(pen.protocol.slice(0, 8), f.protocol, 'latin1');
  macBytes(pen.mac).copy(payload, f.mac);
  return framedPacket(Response.version, payload, result);
}

export interface PenSettings {
  locked: boolean;
  battery: number;
  hover?: boolean;
  autoPowerOffMin?: number;
  maxForce?: number;
}

/** 0x84, the settings answer. */
export function settingsResponse(s: PenSettings, now = Date.now(), result = 0): Buffer {
  const o = SETTINGS_OFFSETS;
  const payload = Buffer.alloc(o.size);
  payload.writeBigUInt64LE(BigInt(Math.floor(now)), o.timestamp);
  payload.writeUInt16LE(s.autoPowerOffMin ?? 20, o.autoPowerOffMin);
  payload.writeUInt16LE(s.maxForce ?? 1023, o.maxForce);
  payload[o.locked] = s.locked ? 1 : 0;
  payload[o.hover] = s.hover ? 1 : 0;
  payload[o.battery] = s.battery;
  return framedPacket(Response.settings, payload, result);
}

export function notesResponse(result = 0): Buffer {
  return framedPacket(Response.notes, Buffer.alloc(0), result);
}

export function setTimeResponse(result = 0): Buffer {
  return framedPacket(Response.setTime, Buffer.alloc(0), result);
}
