import { formatMac, macBytes } from '../protocol/mac.js';

/**
 * Payloads of the hub's own messages (everything but pen data), encode and decode side by side.
 * Decoders read the fields they know and ignore any appended by a later envelope version;
 * they return null when the payload is too short to hold them.
 */

export interface HubHello {
  /** Highest envelope version the hub speaks. */
  envelopeVersion: number;
  slots: number;
  firmware: string;
}

export interface PenConnected {
  mac: string;
  /** The pen's Bluetooth name, e.g. "Neosmartpen_M1". */
  name: string;
}

/** Why the hub lost a pen (pen-disconnected payload byte 0). */
export const DISCONNECT_REASONS = ['link-lost', 'power-off', 'out-of-range', 'host-request', 'hub-reset'] as const;
export type DisconnectReason = (typeof DISCONNECT_REASONS)[number];

function shortString(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8').subarray(0, 255);
  return Buffer.concat([Buffer.of(bytes.length), bytes]);
}

function readShortString(b: Buffer, at: number): string | null {
  const n = b[at];
  if (n === undefined || b.length < at + 1 + n) return null;
  return b.toString('utf8', at + 1, at + 1 + n);
}

export function encodeHello(h: HubHello): Buffer {
  return Buffer.concat([Buffer.of(h.envelopeVersion, h.slots), shortString(h.firmware)]);
}

export function decodeHello(b: Buffer): HubHello | null {
  const firmware = readShortString(b, 2);
  return firmware === null ? null : { envelopeVersion: b[0]!, slots: b[1]!, firmware };
}

export function encodePenConnected(p: PenConnected): Buffer {
  return Buffer.concat([macBytes(p.mac), shortString(p.name)]);
}

export function decodePenConnected(b: Buffer): PenConnected | null {
  const name = readShortString(b, 6);
  if (name === null) return null;
  return { mac: formatMac(b), name };
}

export function encodeDisconnected(reason: DisconnectReason): Buffer {
  return Buffer.of(DISCONNECT_REASONS.indexOf(reason));
}

/** A code this version does not know still disconnects the pen, reported as "reason-<n>". */
export function decodeDisconnected(b: Buffer): string | null {
  const code = b[0];
  if (code === undefined) return null;
  return DISCONNECT_REASONS[code] ?? `reason-${code}`;
}

/** Battery percent, 0–100. */
export function decodeBattery(b: Buffer): number | null {
  const percent = b[0];
  return percent === undefined || percent > 100 ? null : percent;
}
