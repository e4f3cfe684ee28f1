/** Longest card number accepted: ISO 14443 triple-size UIDs are 10 bytes. */
const MAX_UID_BYTES = 10;
/**
 * Decimal readers print the low 32 bits of a 125 kHz card or a 4-byte MIFARE UID, so decimal
 * numbers are padded to at least 4 bytes: "0012345678" and a hex reader's "00BC614E" are one card.
 */
const MIN_DECIMAL_UID_BYTES = 4;
/** Enough digits for 10 bytes (2^80 has 25); longer is not a card number. */
const MAX_DECIMAL_DIGITS = 25;

const PLAIN_HEX = /^[0-9A-Fa-f]+$/;
/** Bytes separated the way readers and people write them: "04:A2:24:B2", "04 A2 24 B2", "04-A2-…". */
const SEPARATED_HEX = /^[0-9A-Fa-f]{2}(?:[:\- ][0-9A-Fa-f]{2})+$/;
const DECIMAL = /^[0-9]+$/;

function wholeBytes(hex: string, minBytes: number): string | null {
  const digits = Math.max(minBytes * 2, hex.length + (hex.length % 2));
  return digits > MAX_UID_BYTES * 2 ? null : hex.toUpperCase().padStart(digits, '0');
}

/** The uid in hex as a reader or a person wrote it, normalised; null when it is not one. */
export function hexUid(text: string): string | null {
  const trimmed = text.trim();
  if (PLAIN_HEX.test(trimmed)) return wholeBytes(trimmed, 1);
  if (SEPARATED_HEX.test(trimmed)) return wholeBytes(trimmed.replace(/[:\- ]/g, ''), 1);
  return null;
}

/** A decimal card number as upper-case hex of whole bytes; null when it is not one. */
export function decimalUid(text: string): string | null {
  const trimmed = text.trim();
  if (!DECIMAL.test(trimmed) || trimmed.length > MAX_DECIMAL_DIGITS) return null;
  return wholeBytes(BigInt(trimmed).toString(16), MIN_DECIMAL_UID_BYTES);
}
