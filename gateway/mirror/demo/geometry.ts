/** A point in pixels. */
export interface Pt {
  x: number;
  y: number;
}

export const add = (a: Pt, b: Pt): Pt => ({ x: a.x + b.x, y: a.y + b.y });
export const sub = (a: Pt, b: Pt): Pt => ({ x: a.x - b.x, y: a.y - b.y });
export const scale = (a: Pt, k: number): Pt => ({ x: a.x * k, y: a.y * k });
export const mid = (a: Pt, b: Pt): Pt => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
export const lerp = (a: Pt, b: Pt, t: number): Pt => ({ x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t });
export const dist = (a: Pt, b: Pt): number => Math.hypot(a.x - b.x, a.y - b.y);

/** Unit vector from a to b; straight down when they coincide (a limb seen end-on). */
export function unit(a: Pt, b: Pt): Pt {
  const d = dist(a, b);
  return d < 1e-6 ? { x: 0, y: 1 } : { x: (b.x - a.x) / d, y: (b.y - a.y) / d };
}

/** The left-hand normal of a direction (image coordinates, y down). */
export const normal = (d: Pt): Pt => ({ x: d.y, y: -d.x });

export const f = (n: number): string => n.toFixed(1);
export const pt = (p: Pt): string => `${f(p.x)},${f(p.y)}`;

/**
 * Outline of a tapered capsule from a (radius ra) to b (radius rb): the two tangent lines and
 * the round ends, so joints look continuous where two capsules overlap.
 */
export function capsulePath(a: Pt, b: Pt, ra: number, rb: number): string {
  const n = normal(unit(a, b));
  const a1 = add(a, scale(n, ra));
  const b1 = add(b, scale(n, rb));
  const b2 = sub(b, scale(n, rb));
  const a2 = sub(a, scale(n, ra));
  return `M${pt(a1)} L${pt(b1)} A${f(rb)},${f(rb)} 0 0 1 ${pt(b2)} L${pt(a2)} A${f(ra)},${f(ra)} 0 0 1 ${pt(a1)} Z`;
}

/** A smooth closed curve through the points (Catmull-Rom turned into cubic Béziers). */
export function smoothClosedPath(points: readonly Pt[]): string {
  const n = points.length;
  const at = (i: number) => points[((i % n) + n) % n]!;
  let d = `M${pt(at(0))}`;
  for (let i = 0; i < n; i++) {
    const p0 = at(i - 1);
    const p1 = at(i);
    const p2 = at(i + 1);
    const p3 = at(i + 2);
    const c1 = add(p1, scale(sub(p2, p0), 1 / 6));
    const c2 = sub(p2, scale(sub(p3, p1), 1 / 6));
    d += ` C${pt(c1)} ${pt(c2)} ${pt(p2)}`;
  }
  return `${d} Z`;
}
