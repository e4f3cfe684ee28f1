import { crc16 } from './crc16.js';

/**
 * The hub envelope, version 1 (HUB-PROTOCOL.md is the full description):
 * `A5 5A | version u8 | kind u8 | slot u8 | length u16 LE | payload | CRC-16/CCITT-FALSE u16 LE`,
 * the CRC over everything before it. This layout is frozen for every version, so any host can
 * skip a frame it does not understand.
 */
export const SYNC_1 = 0xa5;
export const SYNC_2 = 0x5a;
export const ENVELOPE_VERSION = 1;
export const HEADER_BYTES = 7;
export const CRC_BYTES = 2;
/** v1 limit on one payload: pen data longer than this is sent in several chunks. */
export const MAX_PAYLOAD_BYTES = 4096;
export const MAX_ENVELOPE_BYTES = HEADER_BYTES + MAX_PAYLOAD_BYTES + CRC_BYTES;
/** Slots 0–63 are pens; this one is the hub itself (hello, info request). */
export const HUB_SLOT = 0xff;
export const MAX_PEN_SLOTS = 64;

/** Hub → host kinds (< 0x80) and host → hub kinds (≥ 0x80). */
export const Kind = {
  hello: 0x01,
  penConnected: 0x02,
  penDisconnected: 0x03,
  battery: 0x04,
  penData: 0x05,
  infoRequest: 0x81,
  sendToPen: 0x82,
} as const;

export function encodeEnvelope(kind: number, slot: number, payload: Buffer = Buffer.alloc(0), version = ENVELOPE_VERSION): Buffer {
  const out = Buffer.allocUnsafe(HEADER_BYTES + payload.length + CRC_BYTES);
  out[0] = SYNC_1;
  out[1] = SYNC_2;
  out[2] = version;
  out[3] = kind;
  out[4] = slot;
  out.writeUInt16LE(payload.length, 5);
  payload.copy(out, HEADER_BYTES);
  out.writeUInt16LE(crc16(out, 0, HEADER_BYTES + payload.length), HEADER_BYTES + payload.length);
  return out;
}

/** Pen data longer than one envelope may carry, cut into as many as it takes. */
export function encodePenData(slot: number, bytes: Buffer, chunkBytes = MAX_PAYLOAD_BYTES): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunkBytes) out.push(encodeEnvelope(Kind.penData, slot, bytes.subarray(at, at + chunkBytes)));
  return out;
}
