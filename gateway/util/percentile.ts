/**
 * The nearest-rank percentile of `values` (any order; not modified), `p` from 0 to 100: what the
 * benchmarks report as p50/p95/p99. NaN for no values.
 */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
