/**
 * The card reader's one interface, for the magic mirror's check-in: a student taps a card and the
 * reader says which. The serial transport (RDM6300 frames or one number per line) and the
 * simulator both implement `CardReader`; downstream sees only taps.
 */

/** What a serial reader sends, selected by `options.protocol` (README.md has the byte tables). */
export type CardProtocol = 'rdm6300' | 'ascii-line';

/** How an `ascii-line` reader writes the card number. */
export type UidFormat = 'hex' | 'decimal';

export interface CardTap {
  /** Upper-case hex of whole bytes, no separators: "04A224B2C35E80" (MIFARE), "1A00C2E4F1" (EM4100). */
  uid: string;
  /** ISO-8601 time the reader's bytes were parsed. */
  at: string;
  /** The reader's device id. */
  reader: string;
}

/** Everything read, and everything thrown away, counted: shown by the `stats` action. */
export interface CardReaderStats {
  bytes: number;
  /** Frames or lines that carried a card number, repeats included. */
  reads: number;
  taps: number;
  /** Reads of a card already reported within the debounce window (held on the reader). */
  repeats: number;
  /** Bytes outside any frame (rdm6300). */
  garbageBytes: number;
  /** rdm6300 frames whose XOR checksum did not match. */
  badChecksums: number;
  /** Frames cut short or with a non-hex character; lines that are not a card number. */
  malformed: number;
  /** Lines longer than the limit, dropped whole (ascii-line). */
  oversize: number;
}

export interface CardReader {
  /** Every tap, synchronously as the reader's bytes are parsed; returns the unsubscribe. */
  onCard(listener: (tap: CardTap) => void): () => void;
  stats(): CardReaderStats;
}
