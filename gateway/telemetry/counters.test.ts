import { describe, expect, it } from 'vitest';
import { PipelineCounters } from './counters.js';

describe('PipelineCounters', () => {
  it('counts per pipeline and name, and snapshots a detached copy', () => {
    const counters = new PipelineCounters();
    const pages = counters.counter('scans', 'pages');
    pages.inc();
    pages.inc(3);
    counters.counter('scans', 'pages').inc(); // same counter when looked up again
    counters.counter('scans', 'failed').inc(0);
    counters.counter('pens', 'strokes').inc(120);

    const snapshot = counters.snapshot();
    expect(snapshot).toEqual({ scans: { pages: 5, failed: 0 }, pens: { strokes: 120 } });
    pages.inc();
    expect(snapshot.scans?.pages).toBe(5);
    expect(counters.snapshot().scans?.pages).toBe(6);
    expect(pages.value).toBe(6);
  });

  it('refuses increments that would break monotonic rates', () => {
    const counter = new PipelineCounters().counter('scans', 'pages');
    expect(() => counter.inc(-1)).toThrow(RangeError);
    expect(() => counter.inc(1.5)).toThrow('counter scans.pages: increment must be a non-negative integer, got 1.5');
    expect(counter.value).toBe(0);
  });

  it('starts empty', () => {
    expect(new PipelineCounters().snapshot()).toEqual({});
  });
});
