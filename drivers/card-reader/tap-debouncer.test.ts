import { describe, expect, it } from 'vitest';
import { TapDebouncer } from './tap-debouncer.js';

describe('tap debouncer', () => {
  it('counts a card held on the reader (frames every 100 ms for 5 s) once', () => {
    const debouncer = new TapDebouncer(1500);
    const taps = Array.from({ length: 50 }, (_, i) => debouncer.isNewTap('1A00C2E4F1', i * 100)).filter(Boolean);
    expect(taps).toHaveLength(1);
  });

  it('counts the same card again once it has been away for the window', () => {
    const debouncer = new TapDebouncer(1500);
    expect([0, 1000, 2499, 4000, 5499].map((t) => debouncer.isNewTap('AA', t))).toEqual([true, false, false, true, false]);
  });

  it('keeps cards apart: another card within the window is a tap', () => {
    const debouncer = new TapDebouncer(1500);
    expect([debouncer.isNewTap('AA', 0), debouncer.isNewTap('BB', 10), debouncer.isNewTap('AA', 20)]).toEqual([true, true, false]);
  });

  it('with a window of 0 reports every read', () => {
    const debouncer = new TapDebouncer(0);
    expect([debouncer.isNewTap('AA', 0), debouncer.isNewTap('AA', 0)]).toEqual([true, true]);
  });
});
