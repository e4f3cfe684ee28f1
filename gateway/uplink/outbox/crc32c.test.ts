import { describe, expect, it } from 'vitest';
import { crc32c } from './crc32c.js';
import { prng } from './test-support/helpers.js';

/** Bit-at-a-time definition of CRC-32C, to check the table-driven one against. */
function reference(buf: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of buf) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0x82f63b78 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('crc32c', () => {
  it('matches the published check values (RFC 3720 B.4)', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(32, 0))).toBe(0x8a9136aa);
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => i)))).toBe(0x46dd794e);
    expect(crc32c(Buffer.alloc(0))).toBe(0);
  });

  it('agrees with the bitwise definition on every length and alignment', () => {
    const rand = prng(7);
    const buf = Buffer.from(Array.from({ length: 300 }, () => Math.floor(rand() * 256)));
    for (let start = 0; start < 5; start++) {
      for (let end = start; end <= 80; end++) expect(crc32c(buf, start, end)).toBe(reference(buf.subarray(start, end)));
    }
    expect(crc32c(buf)).toBe(reference(buf));
  });
});
