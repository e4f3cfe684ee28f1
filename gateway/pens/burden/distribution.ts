export interface BurdenDistribution {
  count: number;
  p50: number | null;
  p90: number | null;
  max: number | null;
  mean: number | null;
  /** Share of students over the limit (0..1); null without a limit or without students. */
  overLimitShare: number | null;
  /** 10-minute bins from 0 up to the largest value: [from, to) minutes and how many students. */
  histogram: { fromMinutes: number; toMinutes: number; count: number }[];
}

const BIN_MINUTES = 10;

/** Linear interpolation between closest ranks, on sorted values. */
function percentile(sorted: number[], p: number): number {
  const at = (sorted.length - 1) * p;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** One class's minutes per student, summarised for the district; minutes rounded to 0.1. */
export function burdenDistribution(minutes: number[], limitMinutes: number | null): BurdenDistribution {
  const sorted = [...minutes].sort((a, b) => a - b);
  const n = sorted.length;
  const bins = n ? Math.floor(sorted[n - 1]! / BIN_MINUTES) + 1 : 0;
  const histogram = Array.from({ length: bins }, (_, i) => ({ fromMinutes: i * BIN_MINUTES, toMinutes: (i + 1) * BIN_MINUTES, count: 0 }));
  for (const m of sorted) histogram[Math.floor(m / BIN_MINUTES)]!.count++;
  return {
    count: n,
    p50: n ? round1(percentile(sorted, 0.5)) : null,
    p90: n ? round1(percentile(sorted, 0.9)) : null,
    max: n ? round1(sorted[n - 1]!) : null,
    mean: n ? round1(sorted.reduce((a, b) => a + b, 0) / n) : null,
    overLimitShare: n && limitMinutes !== null ? sorted.filter((m) => m > limitMinutes).length / n : null,
    histogram,
  };
}
