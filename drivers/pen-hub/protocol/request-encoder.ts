import { Request } from './commands.js';
import { framedPacket } from './frame-encoder.js';

/** "Which notes to stream": a count of FF FF means every note. */
const ALL_NOTES = 0xffff;
/** Setting type 1 of request 0x05: the pen's clock. */
const SETTING_TIME = 1;

/** 0x01: 16 B connection code (none), u16 app type, 16 B app version; the pen answers 0x81. */
export function versionRequest(appVersion = 'edge-gateway 1'): Buffer {
  const payload = Buffer.alloc(34);
  payload.writeUInt16LE(0x1101, 16);
  payload.write(appVersion.slice(0, 16), 18, 'latin1');
  return framedPacket(Request.version, payload);
}

export function settingsRequest(): Buffer {
  return framedPacket(Request.settings);
}

export function notesRequest(): Buffer {
  const payload = Buffer.alloc(2);
  payload.writeUInt16LE(ALL_NOTES, 0);
  return framedPacket(Request.notes, payload);
}

export function setTimeRequest(now: number): Buffer {
  const payload = Buffer.alloc(9);
  payload[0] = SETTING_TIME;
  payload.writeBigUInt64LE(BigInt(Math.floor(now)), 1);
  return framedPacket(Request.setTime, payload);
}
