import { PeakMemory, scoreRep, type RepSample, type RepScore } from './form.js';
import { isPaired, otherSide, resolveRef, SIDES, type KeypointName, type Pose, type Side } from './keypoints.js';
import { combineSides, Frame, measureOnFrame } from './measures.js';
import { RepCycle } from './rep-cycle.js';
import { summarise, type RepResult, type SessionSummary } from './summary.js';
import type { Exercise, Range, StateDef } from './types.js';

export type CounterEvent =
  | { type: 'state'; t: number; side?: Side; from: string | null; to: string }
  | { type: 'rep'; t: number; rep: RepResult }
  | { type: 'visibility'; t: number; visible: false; missing: KeypointName[]; message: string }
  | { type: 'visibility'; t: number; visible: true };

export interface CounterOptions {
  /** Image width / height: keypoints are normalised per axis, angles need square units. Default 1. */
  aspectRatio?: number;
}

interface Machine {
  side?: Side;
  cycle: RepCycle<RepSample>;
}

type SideRep = RepScore & { startedAt: number; endedAt: number };

/**
 * Counts one student's repetitions of one exercise from smoothed poses, in time order. Poses
 * may be missing (dropped frames) or have keypoints under the score threshold: while a keypoint
 * the exercise needs is not seen, every state is held and nothing is counted; after
 * `visibility.lostAfterMs` the student is asked to step into view, and a repetition that was
 * under way is dropped, as it could not be watched.
 */
export class ExerciseCounter {
  private readonly machines: Machine[];
  private readonly required: KeypointName[];
  private readonly peaks = new PeakMemory();
  private readonly pending = new Map<Side, SideRep>();
  private readonly results: RepResult[] = [];
  private readonly aspectRatio: number;
  private lastT = -Infinity;
  private missingSince: number | null = null;
  private lostReported = false;

  constructor(
    readonly exercise: Exercise,
    options: CounterOptions = {},
  ) {
    this.aspectRatio = options.aspectRatio ?? 1;
    const sides: (Side | undefined)[] = exercise.alternating ? [...SIDES] : [undefined];
    this.machines = sides.map((side) => ({ ...(side && { side }), cycle: new RepCycle<RepSample>(exercise.states, exercise.rep) }));
    const names = exercise.visibility.keypoints.flatMap((ref) => (isPaired(ref) ? SIDES.map((s) => resolveRef(ref, s)) : [ref]));
    this.required = [...new Set(names)];
  }

  get count(): number {
    return this.results.length;
  }

  get reps(): readonly RepResult[] {
    return this.results;
  }

  /** The current state (of one side, for alternating exercises); null before any state held. */
  state(side?: Side): string | null {
    return (this.machines.find((m) => m.side === side) ?? this.machines[0]!).cycle.state;
  }

  summary(): SessionSummary {
    return summarise(this.exercise.id, this.results);
  }

  feed(pose: Pose): CounterEvent[] {
    // A late frame would run time backwards in a repetition's duration.
    if (pose.t <= this.lastT) return [];
    this.lastT = pose.t;
    const events: CounterEvent[] = [];
    const frame = new Frame(pose, this.exercise.visibility.minScore, this.aspectRatio);
    const missing = this.required.filter((name) => frame.point(name) === undefined);
    if (missing.length) {
      this.whileMissing(pose.t, missing, events);
      return events;
    }
    if (this.lostReported) events.push({ type: 'visibility', t: pose.t, visible: true });
    this.lostReported = false;
    this.missingSince = null;
    const values = Object.fromEntries(Object.entries(this.exercise.measures).map(([name, m]) => [name, measureOnFrame(m, frame)]));
    const sample: RepSample = { t: pose.t, values };
    for (const machine of this.machines) {
      const step = machine.cycle.step(sample, (state) => this.holds(state, sample, machine.side));
      if (step.entered) events.push({ type: 'state', t: pose.t, ...(machine.side && { side: machine.side }), ...step.entered });
      if (step.rep) this.completed(step.rep, machine.side, events);
    }
    return events;
  }

  private whileMissing(t: number, missing: KeypointName[], events: CounterEvent[]): void {
    this.missingSince ??= t;
    if (this.lostReported || t - this.missingSince < this.exercise.visibility.lostAfterMs) return;
    this.lostReported = true;
    for (const machine of this.machines) machine.cycle.abandon();
    this.pending.clear();
    events.push({ type: 'visibility', t, visible: false, missing, message: this.exercise.visibility.message });
  }

  private holds(state: StateDef, sample: RepSample, side: Side | undefined): boolean {
    return Object.entries(state.enter).every(([name, range]) => {
      const value = combineSides(sample.values[name] ?? {}, this.exercise.measures[name]!.sides, side);
      return value !== undefined && within(value, range);
    });
  }

  private completed(frames: RepSample[], side: Side | undefined, events: CounterEvent[]): void {
    const startedAt = frames[0]!.t;
    const endedAt = frames.at(-1)!.t;
    const scored: SideRep = { ...scoreRep(this.exercise, frames, endedAt - startedAt, side, this.peaks), startedAt, endedAt };
    if (side === undefined || this.exercise.alternating?.count === 'each') return this.record(scored, side, events);
    // Pairs: a side's repetition waits for the other side's; a second one on the same side replaces it.
    const other = this.pending.get(otherSide(side));
    if (!other) {
      this.pending.set(side, scored);
      return;
    }
    this.pending.clear();
    const [first, second] = other.startedAt <= scored.startedAt ? [other, scored] : [scored, other];
    const [left, right] = side === 'left' ? [scored, other] : [other, scored];
    const metrics = Object.fromEntries([...prefixed('left', left.metrics), ...prefixed('right', right.metrics)]);
    this.record(
      { score: Math.round((left.score + right.score) / 2), feedback: [...new Set([...first.feedback, ...second.feedback])], metrics, startedAt: first.startedAt, endedAt: second.endedAt },
      undefined,
      events,
    );
  }

  private record(scored: SideRep, side: Side | undefined, events: CounterEvent[]): void {
    const rep: RepResult = { index: this.results.length + 1, ...(side && { side }), ...scored, durationMs: scored.endedAt - scored.startedAt };
    this.results.push(rep);
    events.push({ type: 'rep', t: scored.endedAt, rep });
  }
}

const within = (value: number, range: Range) => (range.min === undefined || value >= range.min) && (range.max === undefined || value <= range.max);

const prefixed = (side: Side, metrics: Record<string, number>) => Object.entries(metrics).map(([k, v]) => [`${side}.${k}`, v] as const);
