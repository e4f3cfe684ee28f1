import { decideGroup, type BubbleMeasure } from './bubbles.js';
import type { ScoreDecision } from './score-boxes.js';
import type { FieldReading } from './types.js';

/** Handwritten scores below this go to the teacher: in bench:scan no wrong reading scored above 0.49. */
export const DIGITS_REVIEW_BELOW = 0.6;

/**
 * A bubble field from its measured bubbles, however they were measured (a scan's pixels or a
 * pen's strokes): a row of options, or a digit grid (values "<row>:<digit>") in which every row
 * must hold exactly one clear mark, or the number is left to the teacher.
 */
export function bubbleFieldReading(questionId: string, measures: BubbleMeasure[], multiple: boolean, reviewBelow: number): FieldReading {
  if (!measures.some((m) => m.value.includes(':'))) {
    const d = decideGroup(measures, multiple);
    const value = d.state === 'marked' || d.state === 'multiple' || d.state === 'faint' ? d.chosen : null;
    return { questionId, state: d.state, value, confidence: d.confidence, needsReview: d.state === 'faint' || d.state === 'multiple' || d.confidence < reviewBelow };
  }
  const rows = new Map<string, BubbleMeasure[]>();
  for (const m of measures) {
    const row = m.value.split(':')[0]!;
    rows.set(row, [...(rows.get(row) ?? []), m]);
  }
  const decisions = [...rows.values()].map((row) => decideGroup(row, false));
  const confidence = Math.min(...decisions.map((d) => d.confidence));
  const unclear = decisions.find((d) => d.state !== 'marked');
  if (unclear) return { questionId, state: unclear.state, value: null, confidence, needsReview: true };
  const digits = decisions.map((d) => d.chosen[0]!.split(':')[1]!).join('');
  return { questionId, state: 'marked', value: digits, confidence, needsReview: confidence < reviewBelow };
}

export function scoreFieldReading(questionId: string, d: ScoreDecision): FieldReading {
  return { questionId, state: d.state, value: d.value, confidence: d.confidence, needsReview: d.state === 'unreadable' || (d.state === 'digits' && d.confidence < DIGITS_REVIEW_BELOW) };
}

export function markFieldReading(questionId: string, mark: 'tick' | 'cross' | null, confidence: number, reviewBelow: number): FieldReading {
  return { questionId, state: mark ?? 'blank', value: mark, confidence, needsReview: confidence < reviewBelow };
}
