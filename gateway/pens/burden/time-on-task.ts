/** A span of writing: one stroke, from pen-down to pen-up. */
export interface Interval {
  startedAt: number;
  endedAt: number;
}

export interface TimeRules {
  /** Gaps shorter than this (lifting the pen between letters) count as writing. */
  shortGapMs: number;
  /** Gaps at least this long are breaks, not time on task. */
  breakAfterMs: number;
}

export interface TimeOnTask {
  firstAt: number;
  lastAt: number;
  /** Stroke durations plus the short gaps between them. */
  activeMs: number;
  /** First stroke to last, minus the breaks. */
  elapsedMs: number;
  breaks: Interval[];
}

/**
 * Time on task built up stroke by stroke (strokes in the order they were written), so a live
 * view pays constant work per stroke and the burden report reuses the same rules.
 */
export class TimeAccumulator {
  private firstAt: number | null = null;
  private lastAt = 0;
  private activeMs = 0;
  private readonly breaks: Interval[] = [];

  constructor(private readonly rules: TimeRules) {}

  add(stroke: Interval): void {
    if (this.firstAt === null) {
      this.firstAt = stroke.startedAt;
      this.lastAt = stroke.endedAt;
      this.activeMs = stroke.endedAt - stroke.startedAt;
      return;
    }
    const gap = stroke.startedAt - this.lastAt;
    if (gap >= this.rules.breakAfterMs) this.breaks.push({ startedAt: this.lastAt, endedAt: stroke.startedAt });
    // Overlapping strokes (two pens, clocks apart) count once.
    this.activeMs += Math.max(0, stroke.endedAt - Math.max(stroke.startedAt, this.lastAt)) + (gap > 0 && gap < this.rules.shortGapMs ? gap : 0);
    this.lastAt = Math.max(this.lastAt, stroke.endedAt);
  }

  result(): TimeOnTask | null {
    if (this.firstAt === null) return null;
    const breakMs = this.breaks.reduce((sum, b) => sum + b.endedAt - b.startedAt, 0);
    return { firstAt: this.firstAt, lastAt: this.lastAt, activeMs: this.activeMs, elapsedMs: this.lastAt - this.firstAt - breakMs, breaks: [...this.breaks] };
  }
}

export const DEFAULT_TIME_RULES: TimeRules = { shortGapMs: 5_000, breakAfterMs: 15 * 60_000 };

/** Time on task for a set of strokes in any order; null when there are none. */
export function timeOnTask(strokes: Interval[], rules: TimeRules = DEFAULT_TIME_RULES): TimeOnTask | null {
  const acc = new TimeAccumulator(rules);
  for (const s of [...strokes].sort((a, b) => a.startedAt - b.startedAt)) acc.add(s);
  return acc.result();
}
