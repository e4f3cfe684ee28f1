import { otherSide, type Side } from './keypoints.js';
import { combineSides, type SidedValue } from './measures.js';
import type { Exercise, FormRule, RangeRule, SymmetryRule, TempoRule } from './types.js';

/** One frame of a repetition: every measure's value, per side. */
export interface RepSample {
  t: number;
  values: Record<string, SidedValue>;
}

export interface RepScore {
  /** 0–100: the rules' credits, weighted. */
  score: number;
  /** The feedback of every rule clearly missed, in the file's order. */
  feedback: string[];
  /** What the rules measured, e.g. `knee.min`, `knee.asymmetry`, rounded. */
  metrics: Record<string, number>;
}

interface Verdict {
  /** 0..1; undefined when the rule could not be judged (measure out of view all rep). */
  credit: number | undefined;
  feedback: string;
  metrics: Record<string, number>;
}

/**
 * Alternating exercises compare a side's repetition with the other side's last one, so each
 * side's last peak per measure is remembered across repetitions.
 */
export class PeakMemory {
  private readonly peaks = new Map<string, number>();
  get(side: Side, measure: string): number | undefined {
    return this.peaks.get(`${side}:${measure}`);
  }
  set(side: Side, measure: string, value: number): void {
    this.peaks.set(`${side}:${measure}`, value);
  }
}

/**
 * A rule missed by a hair (the pose model's own error is a few degrees) costs a point or two of
 * score but earns no feedback: a student told "Go lower" on a 98-point squat stops trusting it.
 */
const FEEDBACK_BELOW_CREDIT = 0.9;

export function scoreRep(ex: Exercise, frames: readonly RepSample[], durationMs: number, side: Side | undefined, memory: PeakMemory): RepScore {
  let weighted = 0;
  let weights = 0;
  const feedback: string[] = [];
  const metrics: Record<string, number> = { durationMs: Math.round(durationMs) };
  for (const rule of ex.form) {
    const verdict = judge(rule, ex, frames, durationMs, side, memory);
    Object.assign(metrics, verdict.metrics);
    if (verdict.credit === undefined) continue;
    weighted += rule.weight * verdict.credit;
    weights += rule.weight;
    if (verdict.credit < FEEDBACK_BELOW_CREDIT) feedback.push(verdict.feedback);
  }
  return { score: weights ? Math.round((100 * weighted) / weights) : 100, feedback, metrics };
}

function judge(rule: FormRule, ex: Exercise, frames: readonly RepSample[], durationMs: number, side: Side | undefined, memory: PeakMemory): Verdict {
  switch (rule.kind) {
    case 'range':
      return judgeRange(rule, ex, frames, side);
    case 'symmetry':
      return judgeSymmetry(rule, frames, side, memory);
    case 'tempo':
      return judgeTempo(rule, durationMs);
  }
}

function judgeRange(rule: RangeRule, ex: Exercise, frames: readonly RepSample[], side: Side | undefined): Verdict {
  const measure = ex.measures[rule.measure]!;
  const wantsLow = rule.target.max !== undefined;
  const reached = peak(frames.map((f) => combineSides(f.values[rule.measure] ?? {}, measure.sides, side)), wantsLow ? 'min' : 'max');
  if (reached === undefined) return { credit: undefined, feedback: rule.feedback, metrics: {} };
  const shortfall = wantsLow ? reached - rule.target.max! : rule.target.min! - reached;
  return { credit: credit(shortfall, rule.tolerance), feedback: rule.feedback, metrics: { [`${rule.measure}.${wantsLow ? 'min' : 'max'}`]: round(reached) } };
}

function judgeSymmetry(rule: SymmetryRule, frames: readonly RepSample[], side: Side | undefined, memory: PeakMemory): Verdict {
  const sidePeak = (s: Side) => peak(frames.map((f) => f.values[rule.measure]?.[s]), rule.peak);
  let a: number | undefined;
  let b: number | undefined;
  if (side === undefined) {
    a = sidePeak('left');
    b = sidePeak('right');
  } else {
    a = sidePeak(side);
    b = memory.get(otherSide(side), rule.measure);
    if (a !== undefined) memory.set(side, rule.measure, a);
  }
  if (a === undefined || b === undefined) return { credit: undefined, feedback: rule.feedback, metrics: {} };
  const difference = Math.abs(a - b);
  return { credit: credit(difference - rule.maxDifference, rule.tolerance), feedback: rule.feedback, metrics: { [`${rule.measure}.asymmetry`]: round(difference) } };
}

function judgeTempo(rule: TempoRule, durationMs: number): Verdict {
  if (durationMs < rule.minMs) return { credit: credit(rule.minMs - durationMs, rule.toleranceMs), feedback: rule.tooFast, metrics: {} };
  return { credit: credit(durationMs - rule.maxMs, rule.toleranceMs), feedback: rule.tooSlow, metrics: {} };
}

/** 1 when the limit is met, falling linearly to 0 at `tolerance` beyond it. */
const credit = (excess: number, tolerance: number) => Math.max(0, Math.min(1, 1 - Math.max(0, excess) / tolerance));

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * The repetition's lowest or highest value after a 3-frame median, so one jittery frame does not
 * pass (or fail) a rule on its own. Frames where the measure was not seen are skipped.
 */
function peak(values: readonly (number | undefined)[], which: 'min' | 'max'): number | undefined {
  const seen = values.filter((v) => v !== undefined);
  if (seen.length === 0) return undefined;
  const filtered = seen.length < 3 ? seen : seen.map((_, i) => median3(seen[Math.max(0, i - 1)]!, seen[i]!, seen[Math.min(seen.length - 1, i + 1)]!));
  return which === 'min' ? Math.min(...filtered) : Math.max(...filtered);
}

const median3 = (a: number, b: number, c: number) => Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
