import { describe, expect, it } from 'vitest';
import type { ParseCounts } from './card-parser.js';
import { Rdm6300Parser } from './rdm6300-parser.js';
import { rdm6300Frame } from './test-support/rdm6300-frame.js';

function parse(...chunks: Buffer[]) {
  const counts: ParseCounts = { garbageBytes: 0, badChecksums: 0, malformed: 0, oversize: 0 };
  const parser = new Rdm6300Parser(counts);
  const uids: string[] = [];
  for (const chunk of chunks) parser.push(chunk, (uid) => uids.push(uid));
  return { uids, counts };
}

describe('RDM6300 frames', () => {
  it('reads a good frame: version byte and tag, checksum verified', () => {
    // 0x1A ^ 0x00 ^ 0xC2 ^ 0xE4 ^ 0xF1 = 0xCD
    const frame = Buffer.from('\x021A00C2E4F1CD\x03', 'latin1');
    expect(rdm6300Frame('1A00C2E4F1')).toEqual(frame);
    expect(parse(frame)).toEqual({ uids: ['1A00C2E4F1'], counts: { garbageBytes: 0, badChecksums: 0, malformed: 0, oversize: 0 } });
  });

  it('accepts lower-case hex and reports the uid upper-case', () => {
    expect(parse(Buffer.from('\x021a00c2e4f1cd\x03', 'latin1')).uids).toEqual(['1A00C2E4F1']);
  });

  it('counts a wrong checksum and skips the frame', () => {
    const { uids, counts } = parse(rdm6300Frame('1A00C2E4F1', { checksum: 0xce }), rdm6300Frame('0102030405'));
    expect(uids).toEqual(['0102030405']);
    expect(counts.badChecksums).toBe(1);
  });

  it('reassembles frames split anywhere across reads', () => {
    const stream = Buffer.concat([rdm6300Frame('1A00C2E4F1'), rdm6300Frame('0102030405')]);
    for (let cut = 1; cut < stream.length; cut++) {
      expect(parse(stream.subarray(0, cut), stream.subarray(cut)).uids).toEqual(['1A00C2E4F1', '0102030405']);
    }
    expect(parse(...[...stream].map((b) => Buffer.from([b]))).uids).toEqual(['1A00C2E4F1', '0102030405']);
  });

  it('passes on every repeat of a held card (debouncing is the device’s)', () => {
    const frame = rdm6300Frame('1A00C2E4F1');
    expect(parse(Buffer.concat([frame, frame, frame])).uids).toHaveLength(3);
  });

  it('counts garbage between frames and resynchronises on the next STX', () => {
    const { uids, counts } = parse(Buffer.from('noise\r\n'), rdm6300Frame('1A00C2E4F1'), Buffer.from([0xff, 0x00]), rdm6300Frame('0102030405'));
    expect(uids).toEqual(['1A00C2E4F1', '0102030405']);
    expect(counts.garbageBytes).toBe(9);
  });

  it('abandons frames cut short, with a non-hex digit, or with no ETX where it belongs', () => {
    const { uids, counts } = parse(
      Buffer.from('\x021A00C2', 'latin1'), // cut short by the next frame's STX
      rdm6300Frame('1A00C2E4F1'),
      Buffer.from('\x021A00C2E4G1CD\x03', 'latin1'),
      Buffer.from('\x021A00C2E4F1CD00\x03', 'latin1'),
      rdm6300Frame('0102030405'),
    );
    expect(uids).toEqual(['1A00C2E4F1', '0102030405']);
    expect(counts.malformed).toBe(3);
  });

  it('accepts the ID-12LA form with CR LF before ETX, but no more than that', () => {
    const { uids, counts } = parse(rdm6300Frame('1A00C2E4F1', { trailer: '\r\n' }), rdm6300Frame('1A00C2E4F1', { trailer: '\r\n\r\n' }));
    expect(uids).toEqual(['1A00C2E4F1']);
    expect(counts.malformed).toBe(1);
  });

  it('survives random bytes with frames hidden in them, holding no more than one frame', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256;
    const chunks: Buffer[] = [];
    for (let i = 0; i < 2000; i++) chunks.push(Buffer.from(Array.from({ length: random() % 40 }, random)), rdm6300Frame('0102030405'));
    const { uids } = parse(...chunks);
    // A random STX or ETX right before a frame can swallow it; nearly all come through.
    expect(uids.length).toBeGreaterThan(1900);
    expect(new Set(uids)).toEqual(new Set(['0102030405']));
  });
});
