import type { KeypointRef } from './keypoints.js';

/**
 * An exercise as a PE teacher writes it (JSON, checked against exercise.schema.json beside this
 * file). Optional keys of the file have their defaults filled in by the parser, so they are
 * required here.
 */
export interface Exercise {
  /** Unique, e.g. `squat`. */
  id: string;
  name: string;
  description?: string;
  visibility: Visibility;
  /** Named numbers read off each pose, e.g. `knee` = the hip–knee–ankle angle. */
  measures: Record<string, Measure>;
  states: StateDef[];
  /** State names one repetition passes through, first = last, e.g. up → down → up. */
  rep: string[];
  /** Present when left and right take turns, each side with its own state machine. */
  alternating?: { count: 'each' | 'pairs' };
  form: FormRule[];
}

export interface Visibility {
  /** Paired parts without a side ("ankle") mean both sides. */
  keypoints: KeypointRef[];
  minScore: number;
  lostAfterMs: number;
  message: string;
}

/**
 * min/max/mean/left/right: how a paired measure's two sides become one number; same/opposite:
 * in alternating exercises, the side doing the repetition or the other one.
 */
export type SidesRule = 'min' | 'max' | 'mean' | 'left' | 'right' | 'same' | 'opposite';
export type Scale = 'torso' | 'shoulder-width';

/** Degrees at the middle point; 180 is straight. */
export interface AngleMeasure {
  kind: 'angle';
  points: [KeypointRef, KeypointRef, KeypointRef];
  sides: SidesRule;
}

/** How far `of` is above `above` (image y grows downwards), in scale units. */
export interface HeightMeasure {
  kind: 'height';
  of: KeypointRef;
  above: KeypointRef;
  scale: Scale;
  sides: SidesRule;
}

export interface DistanceMeasure {
  kind: 'distance';
  between: [KeypointRef, KeypointRef];
  axis: 'x' | 'y' | 'xy';
  scale: Scale;
  sides: SidesRule;
}

export type Measure = AngleMeasure | HeightMeasure | DistanceMeasure;

/** Inclusive bounds; a missing bound is open. */
export interface Range {
  min?: number;
  max?: number;
}

export interface StateDef {
  name: string;
  /** Measure name → bounds: the state is entered when all hold (and held until another state is entered). */
  enter: Record<string, Range>;
}

export interface RangeRule {
  kind: 'range';
  measure: string;
  /** One bound: `max` = the measure must get down to it in the rep, `min` = up to it. */
  target: Range;
  /** How far short of the target the credit reaches 0. */
  tolerance: number;
  weight: number;
  feedback: string;
}

export interface SymmetryRule {
  kind: 'symmetry';
  measure: string;
  /** Which extreme of the rep is compared between the sides. */
  peak: 'min' | 'max';
  maxDifference: number;
  tolerance: number;
  weight: number;
  feedback: string;
}

export interface TempoRule {
  kind: 'tempo';
  minMs: number;
  maxMs: number;
  toleranceMs: number;
  weight: number;
  tooFast: string;
  tooSlow: string;
}

export type FormRule = RangeRule | SymmetryRule | TempoRule;
