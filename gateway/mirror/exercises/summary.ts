import type { Side } from './keypoints.js';

/** One counted repetition (for pairs: a left and a right together). */
export interface RepResult {
  /** 1, 2, 3 … in the order counted. */
  index: number;
  /** The side of an alternating repetition counted on its own. */
  side?: Side;
  score: number;
  feedback: string[];
  startedAt: number;
  endedAt: number;
  durationMs: number;
  metrics: Record<string, number>;
}

export interface SessionSummary {
  exerciseId: string;
  reps: number;
  /** Rounded; null before the first repetition. */
  meanScore: number | null;
  /** The first of the highest-scoring repetitions. */
  best: { index: number; score: number } | null;
  worst: { index: number; score: number } | null;
  /** Time spent in counted repetitions (rests between them and time out of view are not active). */
  activeMs: number;
  /** How often each feedback was given, most frequent first (ties: first given first). */
  feedback: { text: string; count: number }[];
  mostFrequentFeedback: string | null;
}

export function summarise(exerciseId: string, reps: readonly RepResult[]): SessionSummary {
  const counts = new Map<string, number>();
  for (const rep of reps) for (const text of rep.feedback) counts.set(text, (counts.get(text) ?? 0) + 1);
  // Map keeps first-given order and sort is stable, so ties stay in that order.
  const feedback = [...counts].map(([text, count]) => ({ text, count })).sort((a, b) => b.count - a.count);
  const pick = (better: (a: RepResult, b: RepResult) => boolean) =>
    reps.reduce<RepResult | null>((best, rep) => (best === null || better(rep, best) ? rep : best), null);
  const brief = (rep: RepResult | null) => (rep ? { index: rep.index, score: rep.score } : null);
  return {
    exerciseId,
    reps: reps.length,
    meanScore: reps.length ? Math.round(reps.reduce((sum, r) => sum + r.score, 0) / reps.length) : null,
    best: brief(pick((a, b) => a.score > b.score)),
    worst: brief(pick((a, b) => a.score < b.score)),
    activeMs: reps.reduce((sum, r) => sum + r.durationMs, 0),
    feedback,
    mostFrequentFeedback: feedback[0]?.text ?? null,
  };
}
