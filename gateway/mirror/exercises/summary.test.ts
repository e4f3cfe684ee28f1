import { describe, expect, it } from 'vitest';
import { summarise, type RepResult } from './summary.js';

const rep = (index: number, score: number, feedback: string[], durationMs = 1000): RepResult => ({
  index,
  score,
  feedback,
  startedAt: index * 3000,
  endedAt: index * 3000 + durationMs,
  durationMs,
  metrics: {},
});

describe('session summary', () => {
  it('gives reps, mean score, best and worst rep, active time and feedback by frequency', () => {
    const summary = summarise('squat', [rep(1, 90, ['Slow down']), rep(2, 60, ['Go lower', 'Slow down'], 1500), rep(3, 90, []), rep(4, 71, ['Go lower', 'Slow down'])]);
    expect(summary).toEqual({
      exerciseId: 'squat',
      reps: 4,
      meanScore: 78,
      best: { index: 1, score: 90 },
      worst: { index: 2, score: 60 },
      activeMs: 4500,
      feedback: [
        { text: 'Slow down', count: 3 },
        { text: 'Go lower', count: 2 },
      ],
      mostFrequentFeedback: 'Slow down',
    });
  });

  it('breaks feedback ties by which came first', () => {
    expect(summarise('x', [rep(1, 50, ['B', 'A']), rep(2, 50, ['A', 'B'])]).feedback.map((f) => f.text)).toEqual(['B', 'A']);
  });

  it('is empty but well formed before the first rep', () => {
    expect(summarise('squat', [])).toEqual({ exerciseId: 'squat', reps: 0, meanScore: null, best: null, worst: null, activeMs: 0, feedback: [], mostFrequentFeedback: null });
  });
});
