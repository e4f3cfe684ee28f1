import type { HubEvent } from '../../../drivers/pen-hub/pen-hub.js';
import { DEFAULT_LIMITS, type PenLimits } from './limits.js';
import { PenStrokeBuilder } from './pen-stroke-builder.js';
import type { PenCounters, Stroke } from './stroke.js';

/** A pen quiet this long with a stroke open has gone (out of range, flat battery): 2 s is 250 missed dots. */
export const DEFAULT_SILENT_AFTER_MS = 2_000;

/** The whole hub's event stream, split by pen, into finished strokes. */
export class StrokeAssembler {
  private readonly pens = new Map<string, PenStrokeBuilder>();

  constructor(
    private readonly emit: (stroke: Stroke) => void,
    private readonly limits: PenLimits = DEFAULT_LIMITS,
  ) {}

  push(event: HubEvent): void {
    switch (event.type) {
      case 'pen-connected':
      case 'battery':
        return;
      case 'pen-disconnected':
        return this.pens.get(event.pen)?.silence('disconnected');
      default:
        return this.builder(event.pen).push(event);
    }
  }

  /** Ends the open strokes of pens that have said nothing since `now - afterMs`; call it from a timer. */
  closeSilent(now: number, afterMs = DEFAULT_SILENT_AFTER_MS): void {
    for (const builder of this.pens.values()) if (builder.writing && now - builder.lastEventAt >= afterMs) builder.silence('silent');
  }

  counters(): Record<string, PenCounters> {
    return Object.fromEntries([...this.pens].map(([pen, b]) => [pen, { ...b.counters }]));
  }

  private builder(pen: string): PenStrokeBuilder {
    let b = this.pens.get(pen);
    if (!b) {
      b = new PenStrokeBuilder(this.emit, this.limits);
      this.pens.set(pen, b);
    }
    return b;
  }
}
