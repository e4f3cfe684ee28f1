import { AsciiLineParser } from './ascii-line-parser.js';
import type { CardProtocol, CardReaderStats, UidFormat } from './card-reader.js';
import { Rdm6300Parser } from './rdm6300-parser.js';

/** What a parser throws away, counted into the reader's stats. */
export type ParseCounts = Pick<CardReaderStats, 'garbageBytes' | 'badChecksums' | 'malformed' | 'oversize'>;

/**
 * A streaming parser of one reader format: bytes in as they come off the port, in any split,
 * card numbers out. Holds at most one frame or line, so its memory is bounded whatever arrives.
 */
export interface CardParser {
  /** Calls `card` with each uid (upper-case hex) completed by this chunk, in order. */
  push(chunk: Buffer, card: (uid: string) => void): void;
  /** Forget a partial frame: the next bytes come from a reopened port. */
  reset(): void;
}

export function createCardParser(protocol: CardProtocol, uidFormat: UidFormat, counts: ParseCounts): CardParser {
  return protocol === 'rdm6300' ? new Rdm6300Parser(counts) : new AsciiLineParser(uidFormat, counts);
}
