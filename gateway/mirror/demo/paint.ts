import { add, capsulePath, dist, f, normal, scale, unit, type Pt } from './geometry.js';
import { shade } from './style.js';

/** Light comes from above and a little from the left, as from ceiling lights in a corridor. */
const LIGHT: Pt = { x: -0.37, y: -0.93 };

/**
 * Collects SVG gradient definitions and shapes. Each limb gets its own gradient across its axis
 * so it reads as a lit cylinder, which is what gives the model limb edges to find.
 */
export class Painter {
  private readonly defs: string[] = [];
  private readonly shapes: string[] = [];

  /** A gradient across the band from `a` to `b` (userSpace), lit edge first. */
  crossGradient(a: Pt, b: Pt, base: string): string {
    const id = `g${this.defs.length}`;
    this.defs.push(
      `<linearGradient id="${id}" gradientUnits="userSpaceOnUse" x1="${f(a.x)}" y1="${f(a.y)}" x2="${f(b.x)}" y2="${f(b.y)}">` +
        `<stop offset="0" stop-color="${shade(base, -0.18)}"/><stop offset="0.22" stop-color="${shade(base, 0.16)}"/>` +
        `<stop offset="0.55" stop-color="${base}"/><stop offset="1" stop-color="${shade(base, -0.45)}"/></linearGradient>`,
    );
    return `url(#${id})`;
  }

  /** A gradient whose lit side faces the light, across a shape of the given half-width around `centre`. */
  litFill(centre: Pt, axis: Pt, halfWidth: number, base: string): string {
    let n = normal(axis);
    if (n.x * LIGHT.x + n.y * LIGHT.y < 0) n = scale(n, -1);
    return this.crossGradient(add(centre, scale(n, halfWidth)), add(centre, scale(n, -halfWidth)), base);
  }

  /** A tapered, shaded limb from a to b. */
  limb(a: Pt, b: Pt, ra: number, rb: number, colour: string): void {
    const axis = unit(a, b);
    const centre = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
    const fill = this.litFill(centre, dist(a, b) < 1e-6 ? { x: 0, y: 1 } : axis, Math.max(ra, rb), colour);
    this.path(capsulePath(a, b, ra, rb), fill, shade(colour, -0.55), Math.max(0.6, rb * 0.06));
  }

  /** A round shape seen end-on (a limb pointing at the camera), with its highlight towards the light. */
  disc(c: Pt, r: number, base: string): void {
    const id = `g${this.defs.length}`;
    this.defs.push(
      `<radialGradient id="${id}" gradientUnits="userSpaceOnUse" cx="${f(c.x)}" cy="${f(c.y)}" r="${f(r)}" fx="${f(c.x + LIGHT.x * r * 0.45)}" fy="${f(c.y + LIGHT.y * r * 0.45)}">` +
        `<stop offset="0" stop-color="${shade(base, 0.22)}"/><stop offset="0.6" stop-color="${base}"/><stop offset="1" stop-color="${shade(base, -0.45)}"/></radialGradient>`,
    );
    this.shapes.push(`<circle cx="${f(c.x)}" cy="${f(c.y)}" r="${f(r)}" fill="url(#${id})" stroke="${shade(base, -0.55)}" stroke-width="${f(Math.max(0.6, r * 0.06))}"/>`);
  }

  path(d: string, fill: string, stroke?: string, strokeWidth = 1): void {
    const outline = stroke ? ` stroke="${stroke}" stroke-width="${f(strokeWidth)}" stroke-linejoin="round"` : '';
    this.shapes.push(`<path d="${d}" fill="${fill}"${outline}/>`);
  }

  ellipse(c: Pt, rx: number, ry: number, angleDeg: number, fill: string, extra = ''): void {
    this.shapes.push(`<ellipse cx="${f(c.x)}" cy="${f(c.y)}" rx="${f(rx)}" ry="${f(ry)}" transform="rotate(${f(angleDeg)} ${f(c.x)} ${f(c.y)})" fill="${fill}"${extra}/>`);
  }

  raw(svg: string, def?: string): void {
    if (def) this.defs.push(def);
    this.shapes.push(svg);
  }

  svg(width: number, height: number): string {
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs>${this.defs.join('')}</defs>${this.shapes.join('')}</svg>`;
  }
}

/** Degrees of a direction, for SVG rotate(): 0 = pointing down (a hanging limb). */
export const angleOfDown = (d: Pt): number => (Math.atan2(-d.x, d.y) * 180) / Math.PI;
