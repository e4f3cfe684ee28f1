import { describe, expect, it } from 'vitest';
import type { PenEvent } from '../../../drivers/pen-hub/pen-hub.js';
import { PenStrokeBuilder } from './pen-stroke-builder.js';
import type { Stroke } from './stroke.js';

const PAGE = { section: 3, owner: 27, note: 1, page: 5 };
const ref = { pen: 'hub/1', mac: 'AA:BB:CC:00:00:01', receivedAt: 5_000 };
const down = (ec: number | null, at = 1_000, tip: 'pen' | 'eraser' = 'pen'): PenEvent => ({ ...ref, type: 'down', ec, at, tip, color: 0 });
const paper = (ec: number | null, page = PAGE): PenEvent => ({ ...ref, type: 'paper', ec, ...page });
const dot = (ec: number | null, x: number, y: number, dtMs = 8): PenEvent => ({ ...ref, type: 'dot', ec, dtMs, force: 300, x, y, tiltX: 0, tiltY: 0, twist: 0 });
const up = (ec: number | null, at: number, dotCount: number | null = null): PenEvent => ({ ...ref, type: 'up', ec, at, dotCount, images: null });

function run(events: PenEvent[]) {
  const strokes: Stroke[] = [];
  const builder = new PenStrokeBuilder((s) => strokes.push(s));
  for (const e of events) builder.push(e);
  return { strokes, builder };
}

/** A normal stroke: down, paper, `n` dots along x, up; event counters from `ec0`. */
function stroke(ec0: number, n: number, at = 1_000): PenEvent[] {
  const ec = (i: number) => (ec0 + i) % 256;
  return [down(ec(0), at), paper(ec(1)), ...Array.from({ length: n }, (_, i) => dot(ec(2 + i), 10 + i * 0.2, 20)), up(ec(2 + n), at + 8 * n, n)];
}

describe('pen stroke builder', () => {
  it('builds a stroke from down, paper, dots and up, timing dots from the down plus Δt', () => {
    const { strokes, builder } = run(stroke(0, 3));
    expect(strokes).toHaveLength(1);
    expect(strokes[0]).toMatchObject({ pen: 'hub/1', mac: ref.mac, address: PAGE, eraser: false, startedAt: 1_008, endedAt: 1_024, repairs: [], lostDots: 0 });
    expect(strokes[0]!.dots.toArray().map((d) => d.t)).toEqual([1_008, 1_016, 1_024]);
    expect(builder.counters).toMatchObject({ dots: 3, strokes: 1, repaired: 0 });
  });

  it('closes the open stroke with a synthetic up when a new down arrives', () => {
    const { strokes } = run([down(0), paper(1), dot(2, 10, 10), dot(3, 10.5, 10), down(4, 2_000), dot(5, 30, 30), up(6, 2_010, 1)]);
    expect(strokes).toHaveLength(2);
    expect(strokes[0]!.repairs).toEqual([{ kind: 'synthetic-up', because: 'new-down' }]);
    expect(strokes[0]!.lostDots).toBeNull();
    expect(strokes[1]!.repairs).toEqual([]);
  });

  it('splits a stroke at a page change, the second part continuing on the pen clock', () => {
    const other = { ...PAGE, page: 6 };
    const { strokes } = run([down(0), paper(1), dot(2, 10, 10), paper(3, other), dot(4, 11, 10), up(5, 1_100)]);
    expect(strokes.map((s) => s.address.page)).toEqual([5, 6]);
    expect(strokes[0]!.repairs).toEqual([{ kind: 'synthetic-up', because: 'page-change' }]);
    expect(strokes[1]!.repairs).toEqual([{ kind: 'opened-without-down', clock: 'pen' }]);
    expect(strokes[1]!.startedAt).toBe(1_016);
  });

  it('a repeated paper info for the same page does not split the stroke', () => {
    const { strokes } = run([down(0), paper(1), dot(2, 10, 10), paper(3), dot(4, 11, 10), up(5, 1_100)]);
    expect(strokes).toHaveLength(1);
  });

  it('opens a stroke stamped with the local clock for dots with no down', () => {
    const { strokes, builder } = run([paper(0), dot(1, 10, 10), dot(2, 11, 10), up(3, 99_999)]);
    expect(strokes[0]!.repairs).toEqual([{ kind: 'opened-without-down', clock: 'local' }]);
    expect(strokes[0]!.startedAt).toBe(ref.receivedAt + 8);
    expect(strokes[0]!.endedAt).toBe(ref.receivedAt + 16);
    expect(builder.counters.repaired).toBe(1);
  });

  it('drops and counts dots that come before any paper info', () => {
    const { strokes, builder } = run([down(0), dot(1, 10, 10), dot(2, 11, 10), paper(3), dot(4, 12, 10), up(5, 1_100)]);
    expect(strokes[0]!.dots).toHaveLength(1);
    expect(builder.counters.droppedBeforePaper).toBe(2);
  });

  it('counts event-counter gaps across the 255 → 0 wrap, and skips the check without counters', () => {
    const wrapped = run(stroke(250, 10));
    expect(wrapped.builder.counters).toMatchObject({ ecGaps: 0, missedEvents: 0 });
    const gap = run([down(254), paper(255), dot(0, 10, 10), dot(3, 11, 10), up(4, 1_100)]);
    expect(gap.builder.counters).toMatchObject({ ecGaps: 1, missedEvents: 2 });
    expect(gap.strokes[0]!.repairs).toContainEqual({ kind: 'missed-events', count: 2 });
    const old = run([down(null), paper(null), dot(null, 10, 10), up(null, 1_100)]);
    expect(old.builder.counters).toMatchObject({ ecGaps: 0, missedEvents: 0 });
  });

  it('drops a dot that jumps more than 10 units from both neighbours in the same direction', () => {
    const { strokes, builder } = run([down(0), paper(1), dot(2, 10, 10), dot(3, 10.3, 25), dot(4, 10.6, 10.2), dot(5, 10.9, 10.4), up(6, 1_100, 4)]);
    expect(strokes[0]!.dots.toArray().map((d) => d.y)).toEqual([10, 10.2, 10.4]);
    expect(strokes[0]!.repairs).toContainEqual({ kind: 'spikes-dropped', count: 1 });
    expect(strokes[0]!.lostDots).toBe(0);
    expect(builder.counters).toMatchObject({ spikes: 1, dots: 3 });
  });

  it('keeps a fast but steady movement: the jump is not on the same side of both neighbours', () => {
    const { strokes } = run([down(0), paper(1), dot(2, 10, 10), dot(3, 22, 10), dot(4, 34, 10), up(5, 1_100)]);
    expect(strokes[0]!.dots).toHaveLength(3);
  });

  it('drops and counts coordinates and pages outside the valid ranges', () => {
    const bad = { ...PAGE, section: 300 };
    const { strokes, builder } = run([down(0), paper(1), dot(2, 10, 10), dot(3, -4, 10), dot(4, Number.NaN, 10), up(5, 1_100), down(6), paper(7, bad), dot(8, 10, 10), up(9, 1_200)]);
    expect(strokes).toHaveLength(1);
    expect(strokes[0]!.repairs).toContainEqual({ kind: 'out-of-range-dropped', count: 2 });
    expect(builder.counters.droppedOutOfRange).toBe(3);
  });

  it('reports dots lost between the pen and us from the pen-up dot count', () => {
    const { strokes, builder } = run([down(0), paper(1), dot(2, 10, 10), dot(3, 11, 10), up(4, 1_100, 5)]);
    expect(strokes[0]!.lostDots).toBe(3);
    expect(builder.counters.lostDots).toBe(3);
  });

  it('marks eraser strokes', () => {
    const { strokes } = run([down(0, 1_000, 'eraser'), paper(1), dot(2, 10, 10), up(3, 1_100)]);
    expect(strokes[0]!.eraser).toBe(true);
  });

  it('closes the open stroke when the pen powers off, and starts a fresh session after it', () => {
    const { strokes, builder } = run([down(0), paper(1), dot(2, 10, 10), { ...ref, type: 'power-off' }, down(0), dot(1, 10, 10)]);
    expect(strokes).toHaveLength(1);
    expect(strokes[0]!.repairs).toEqual([{ kind: 'synthetic-up', because: 'power-off' }]);
    expect(builder.counters).toMatchObject({ ecGaps: 0, droppedBeforePaper: 1 });
  });

  it('counts error dots and ignores battery warnings', () => {
    const { strokes, builder } = run([down(0), paper(1), { ...ref, type: 'error-dot', ec: 2, dtMs: 8, force: 10 }, { ...ref, type: 'battery-low' }, dot(3, 10, 10), up(4, 1_100)]);
    expect(strokes).toHaveLength(1);
    expect(builder.counters.errorDots).toBe(1);
  });
});
