import { describe, expect, it } from 'vitest';
import { AsciiLineParser } from './ascii-line-parser.js';
import type { ParseCounts } from './card-parser.js';
import type { UidFormat } from './card-reader.js';

function parse(format: UidFormat, ...chunks: string[]) {
  const counts: ParseCounts = { garbageBytes: 0, badChecksums: 0, malformed: 0, oversize: 0 };
  const parser = new AsciiLineParser(format, counts);
  const uids: string[] = [];
  for (const chunk of chunks) parser.push(Buffer.from(chunk, 'latin1'), (uid) => uids.push(uid));
  return { uids, counts };
}

describe('ascii-line readers', () => {
  it('reads hex uids ended by CR, LF or CR LF, upper-cased', () => {
    expect(parse('hex', '04a224b2c35e80\r\n', '5C3E9A12\r', 'DEADBEEF\n').uids).toEqual(['04A224B2C35E80', '5C3E9A12', 'DEADBEEF']);
  });

  it('reads hex with byte separators and surrounding spaces', () => {
    expect(parse('hex', ' 04:A2:24:B2 \r\n', '04 a2 24 b2\r\n', '04-A2-24-B2\r\n').uids).toEqual(['04A224B2', '04A224B2', '04A224B2']);
  });

  it('turns decimal numbers into hex of at least four bytes', () => {
    expect(parse('decimal', '0012345678\r\n', '3735928559\r\n', '1234567890123456\r\n').uids).toEqual(['00BC614E', 'DEADBEEF', '0462D53C8ABAC0']);
  });

  it('reassembles lines split anywhere across reads', () => {
    const stream = '04A224B2C35E80\r\n0012AB34\r\n';
    for (let cut = 1; cut < stream.length; cut++) {
      expect(parse('hex', stream.slice(0, cut), stream.slice(cut)).uids).toEqual(['04A224B2C35E80', '0012AB34']);
    }
  });

  it('counts lines that are not a card number in the format, and skips blank ones', () => {
    const { uids, counts } = parse('decimal', '\r\n\r\n', 'DEADBEEF\r\n', '12 34\r\n', '\x00\x02junk\r\n', '99999999999999999999999999\r\n', '42\r\n');
    expect(uids).toEqual(['0000002A']);
    expect(counts.malformed).toBe(4);
  });

  it('refuses hex longer than 10 bytes', () => {
    const { uids, counts } = parse('hex', '0102030405060708090A\r\n', '0102030405060708090A0B\r\n');
    expect(uids).toEqual(['0102030405060708090A']);
    expect(counts.malformed).toBe(1);
  });

  it('drops an over-long line whole, once, keeping its buffer bounded, and reads the next line', () => {
    const { uids, counts } = parse('hex', 'A'.repeat(50), 'B'.repeat(10_000), '\r\n', '5C3E9A12\r\n');
    expect(uids).toEqual(['5C3E9A12']);
    expect(counts).toMatchObject({ oversize: 1, malformed: 0 });
  });
});
