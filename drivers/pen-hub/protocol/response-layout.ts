/**
 * Payload layouts of the two session answers that carry fields, shared by the decoder and the
 * simulator's encoder. Field order as the public SDKs read it; the 65-byte version answer matches
 * the captured NWP-F30 frame (`C0 81 00 41 00 …`). The settings layout is to be confirmed against
 * a capture of a real pen (see README, "Assumptions").
 */
export const VERSION_FIELDS = {
  /** NUL-padded ASCII, 16 bytes each: model name, firmware version. */
  model: 0,
  firmware: 16,
  /** NUL-padded ASCII, 8 bytes: "2.18". */
  protocol: 32,
  /** 16 bytes sub name, then u16 device type (not used here). */
  subName: 40,
  deviceType: 56,
  /** 6 bytes, in the order they are printed. */
  mac: 58,
  /** u8 pressure sensor type. */
  pressSensor: 64,
  size: 65,
} as const;

export const SETTINGS_OFFSETS = {
  /** u64 pen clock, ms since the epoch. */
  timestamp: 0,
  autoPowerOffMin: 8,
  maxForce: 10,
  /** 1 = the pen wants its password (request 0x02) before it streams. */
  locked: 12,
  maxRetries: 13,
  retries: 14,
  memoryUsedPercent: 15,
  penCapPower: 16,
  autoPowerOn: 17,
  beep: 18,
  hover: 19,
  offlineSave: 20,
  sensitivity: 21,
  /** Percent, 0–100. */
  battery: 22,
  size: 23,
} as const;
