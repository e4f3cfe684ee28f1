import type { PaperAddress } from '../../../drivers/pen-hub/pen-hub.js';

/** What the builder accepts; anything outside is a decoding error or a misread pattern, dropped and counted. */
export interface PenLimits {
  /** Largest x or y in Ncode units. 1000 units is 2.37 m: larger than any page we print, with room for posters. */
  maxCoordinate: number;
  isValidAddress(address: PaperAddress): boolean;
}

const U8 = 0xff;
const U24 = 0xff_ffff;
const U32 = 0xffff_ffff;

function inRange(n: number, max: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= max;
}

/** The protocol's field widths (section u8, owner u24, note and page u32): a value beyond them did not come from a pen. */
export const DEFAULT_LIMITS: PenLimits = {
  maxCoordinate: 1000,
  isValidAddress: (a) => inRange(a.section, U8) && inRange(a.owner, U24) && inRange(a.note, U32) && inRange(a.page, U32),
};

export function isValidCoordinate(limits: PenLimits, x: number, y: number): boolean {
  return x >= 0 && y >= 0 && x <= limits.maxCoordinate && y <= limits.maxCoordinate;
}
