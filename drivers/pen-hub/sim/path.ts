/** The point a `fraction` (0–1) of the way along a polyline, by length: dots spread evenly over a stroke. */
export function pointAlong(points: readonly { x: number; y: number }[], fraction: number): { x: number; y: number } {
  const first = points[0];
  if (!first) return { x: 0, y: 0 };
  const lengths = [0];
  for (let i = 1; i < points.length; i++) lengths.push(lengths[i - 1]! + Math.hypot(points[i]!.x - points[i - 1]!.x, points[i]!.y - points[i - 1]!.y));
  const total = lengths[lengths.length - 1]!;
  if (total === 0) return { ...first };
  const target = Math.min(1, Math.max(0, fraction)) * total;
  let i = 1;
  while (i < points.length - 1 && lengths[i]! < target) i++;
  const a = points[i - 1]!;
  const b = points[i] ?? a;
  const span = lengths[i]! - lengths[i - 1]!;
  const t = span === 0 ? 0 : (target - lengths[i - 1]!) / span;
  return { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t };
}
