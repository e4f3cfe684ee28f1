import type { PaperAddress } from '../../../drivers/pen-hub/pen-hub.js';
import type { DotTrail } from './dot-trail.js';

/** One camera sample: Ncode units from the pattern's top-left, t in ms since the epoch. */
export interface Dot {
  x: number;
  y: number;
  t: number;
  force: number;
}

/** Why the builder had to step in: each repair the protocol 2.0 SDKs make, recorded on the stroke it touched. */
export type StrokeRepair =
  /** The stroke had no pen-up: something else ended it. */
  | { kind: 'synthetic-up'; because: 'new-down' | 'page-change' | 'power-off' | 'disconnected' | 'silent' }
  /** Dots arrived with no pen-down. `pen`: timed on from the stroke the page change cut; `local`: from the gateway's clock. */
  | { kind: 'opened-without-down'; clock: 'pen' | 'local' }
  /** The event counter skipped this many events while the stroke was open. */
  | { kind: 'missed-events'; count: number }
  /** Dots dropped as spikes (one-dot jumps of more than 10 units). */
  | { kind: 'spikes-dropped'; count: number }
  /** Dots dropped because their coordinates were outside the valid range. */
  | { kind: 'out-of-range-dropped'; count: number };

export interface Stroke {
  pen: string;
  mac: string | null;
  address: PaperAddress;
  /** The eraser end of the pen: it removes ink instead of writing. */
  eraser: boolean;
  color: number | null;
  startedAt: number;
  endedAt: number;
  dots: DotTrail;
  repairs: StrokeRepair[];
  /** The pen-up's dot count minus the dots that arrived; null when the pen did not say (old firmware, synthetic up). */
  lostDots: number | null;
}

/** Everything one pen's stream needed repaired or threw away, for telemetry. */
export interface PenCounters {
  dots: number;
  strokes: number;
  /** Strokes that carry at least one repair. */
  repaired: number;
  droppedBeforePaper: number;
  droppedOutOfRange: number;
  /** Gaps in the event counter, and how many events they skipped. */
  ecGaps: number;
  missedEvents: number;
  spikes: number;
  /** Summed over strokes whose pen-up gave a dot count. */
  lostDots: number;
  errorDots: number;
}

export function emptyCounters(): PenCounters {
  return { dots: 0, strokes: 0, repaired: 0, droppedBeforePaper: 0, droppedOutOfRange: 0, ecGaps: 0, missedEvents: 0, spikes: 0, lostDots: 0, errorDots: 0 };
}

export function sameAddress(a: PaperAddress, b: PaperAddress): boolean {
  return a.page === b.page && a.note === b.note && a.owner === b.owner && a.section === b.section;
}
