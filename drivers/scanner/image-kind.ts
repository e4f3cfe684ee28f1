import type { ScannedPage } from './scanner.js';

/** What a file really is, by its first bytes: copiers name files freely and users rename them. */
export function imageKind(head: Buffer): ScannedPage['format'] | 'pdf' | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (head.length >= 4 && (head.subarray(0, 4).equals(Buffer.from('II*\0', 'latin1')) || head.subarray(0, 4).equals(Buffer.from('MM\0*', 'latin1')))) return 'tiff';
  if (head.length >= 2 && head[0] === 0x50 && head[1] !== undefined && head[1] >= 0x31 && head[1] <= 0x36) return 'pnm';
  if (head.length >= 5 && head.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  return null;
}
