/**
 * Protocol 2.0 byte values (see /work/shared/reference/neo-pen-protocol.md). Names follow what
 * the byte means on the wire; payload layouts live next to their decoder and encoders.
 */
export const FRAME_START = 0xc0;
export const FRAME_END = 0xc1;
export const ESCAPE = 0x7d;
export const ESCAPE_XOR = 0x20;

/** Largest pen packet (header + payload, un-escaped): anything longer is dropped whole. */
export const MAX_PACKET_BYTES = 32 * 1024;

/** Host → pen requests. */
export const Request = {
  version: 0x01,
  settings: 0x04,
  setTime: 0x05,
  notes: 0x11,
} as const;

/** Pen → host answers to the requests above (request | 0x80); they carry a result byte. */
export const Response = {
  version: 0x81,
  settings: 0x84,
  setTime: 0x85,
  notes: 0x91,
} as const;

/** Pen → host live events (no result byte). */
export const Event = {
  lowBattery: 0x61,
  powerOff: 0x62,
  /** Before protocol 2.12: one command for down and up, first payload byte 0 = down, 1 = up. */
  oldUpDown: 0x63,
  oldPaper: 0x64,
  oldDot: 0x65,
  oldErrorDot: 0x68,
  down: 0x69,
  up: 0x6a,
  paper: 0x6b,
  dot: 0x6c,
  errorDot: 0x6d,
} as const;

/** Responses (0x8x, 0x9x, 0xAx) have a result byte after the command; events and requests do not. */
export function hasResultByte(cmd: number): boolean {
  return cmd >= 0x80 && cmd <= 0xaf;
}

/** "0x6c": how unknown commands are keyed in HubStats.unknownCommands. */
export function hexCode(byte: number): string {
  return `0x${byte.toString(16).padStart(2, '0')}`;
}
