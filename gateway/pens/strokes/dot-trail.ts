import type { Dot } from './stroke.js';

/** x, y, t, force: one dot's numbers, side by side. */
const STRIDE = 4;

/**
 * A stroke's dots packed in one Float64Array. A class's evening is millions of dots, kept in memory
 * until their pages are sent and for 12 h after: as objects each dot costs about 115 bytes of heap
 * that the garbage collector walks again and again; packed it costs 32 bytes and is never walked.
 * Float64 keeps every value exactly as the pen gave it (hundredths of a unit, ms since the epoch).
 */
export class DotTrail {
  private data: Float64Array;
  private count = 0;

  constructor(capacity = 128) {
    this.data = new Float64Array(Math.max(1, capacity) * STRIDE);
  }

  static of(dots: readonly Dot[]): DotTrail {
    const trail = new DotTrail(dots.length);
    for (const d of dots) trail.push(d.x, d.y, d.t, d.force);
    return trail;
  }

  get length(): number {
    return this.count;
  }

  push(x: number, y: number, t: number, force: number): void {
    let o = this.count * STRIDE;
    if (o + STRIDE > this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[o++] = x;
    this.data[o++] = y;
    this.data[o++] = t;
    this.data[o] = force;
    this.count++;
  }

  x(i: number): number {
    return this.data[i * STRIDE]!;
  }

  y(i: number): number {
    return this.data[i * STRIDE + 1]!;
  }

  t(i: number): number {
    return this.data[i * STRIDE + 2]!;
  }

  force(i: number): number {
    return this.data[i * STRIDE + 3]!;
  }

  /** Drops dot `i`; the ones after it move up. */
  remove(i: number): void {
    this.data.copyWithin(i * STRIDE, (i + 1) * STRIDE, this.count * STRIDE);
    this.count--;
  }

  /** Gives back the room kept for growing, once the stroke is finished. */
  fit(): void {
    if (this.data.length > Math.max(1, this.count) * STRIDE) this.data = this.data.slice(0, Math.max(1, this.count) * STRIDE);
  }

  toArray(): Dot[] {
    return Array.from({ length: this.count }, (_, i) => ({ x: this.x(i), y: this.y(i), t: this.t(i), force: this.force(i) }));
  }
}
