import { describe, expect, it } from 'vitest';
import { decodePageId, encodePageId } from './page-id.js';

const id = { assignmentId: 'fractions-week3', page: 2, studentId: 's017', layoutHash: 'ab12cd34' };

describe('page ids in the QR code', () => {
  it('round-trips, compactly, with or without a student', () => {
    expect(encodePageId(id)).toBe('CG1:fractions-week3:2:s017:ab12cd34');
    expect(decodePageId(encodePageId(id))).toEqual(id);
    expect(decodePageId(encodePageId({ ...id, studentId: null }))).toEqual({ ...id, studentId: null });
  });

  it('refuses anything that is not one of ours', () => {
    for (const bad of ['', 'hello', 'https://example.org', 'CG2:a:1:s:ab12cd34', 'CG1:a:0:s:ab12cd34', 'CG1:a:01:s:ab12cd34', 'CG1:a:1:s', 'CG1:a:1:s:ab12cd34:x', 'CG1:A:1:s:ab12cd34', 'CG1:a:1:s 1:ab12cd34', 'CG1:a:1:s:AB12CD34']) {
      expect(decodePageId(bad), bad).toBeNull();
    }
  });

  it('will not encode what it could not decode', () => {
    expect(() => encodePageId({ ...id, page: 0 })).toThrow('page 0');
    expect(() => encodePageId({ ...id, page: 1000 })).toThrow('page 1000');
    expect(() => encodePageId({ ...id, assignmentId: 'a:b' })).toThrow('assignment id');
    expect(() => encodePageId({ ...id, studentId: 's 1' })).toThrow('student id');
    expect(() => encodePageId({ ...id, layoutHash: 'v2' })).toThrow('layout hash');
  });
});
