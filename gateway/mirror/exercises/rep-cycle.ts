import type { StateDef } from './types.js';

export interface StepResult<S> {
  /** Set when a state was entered on this frame. */
  entered?: { from: string | null; to: string };
  /** The frames of a repetition that ended on this frame: from the last frame in the first state to this one. */
  rep?: S[];
}

/**
 * One state machine: the current state, how far along the declared cycle it is, and the
 * frames since the cycle's first state last held (what a finished repetition is scored on).
 *
 * The current state is kept while its own bounds hold, and also in the dead-band where no
 * state's bounds hold: only entering another state moves it. That is the hysteresis: jitter
 * around one threshold cannot leave a state and come back.
 */
export class RepCycle<S extends { t: number }> {
  private current: string | null = null;
  /** Index into `rep` of the last state passed; -1 = waiting for the first state. */
  private progress = -1;
  private frames: S[] = [];

  constructor(
    private readonly states: readonly StateDef[],
    private readonly rep: readonly string[],
  ) {}

  get state(): string | null {
    return this.current;
  }

  /** `holds` says whether a state's bounds hold on this frame. */
  step(sample: S, holds: (state: StateDef) => boolean): StepResult<S> {
    const stay = this.current !== null && holds(this.stateDef(this.current));
    const next = stay ? undefined : this.states.find((s) => s.name !== this.current && holds(s));
    const result: StepResult<S> = {};
    if (next) {
      result.entered = { from: this.current, to: next.name };
      this.current = next.name;
      const rep = this.advance(next.name, sample);
      if (rep) result.rep = rep;
    }
    if (this.progress === 0 && this.current === this.rep[0] && holds(this.stateDef(this.current))) this.frames = [sample];
    else if (this.progress >= 0 && !next) this.frames.push(sample);
    return result;
  }

  /** Forget a half-done repetition (the student was out of view): the next one starts afresh. */
  abandon(): void {
    this.progress = -1;
    this.frames = [];
  }

  private advance(entered: string, sample: S): S[] | undefined {
    if (this.progress >= 0 && this.rep[this.progress + 1] === entered) {
      this.progress++;
      this.frames.push(sample);
      if (this.progress < this.rep.length - 1) return undefined;
      const rep = this.frames;
      this.progress = 0;
      this.frames = [sample];
      return rep;
    }
    this.progress = entered === this.rep[0] ? 0 : -1;
    this.frames = this.progress === 0 ? [sample] : [];
    return undefined;
  }

  private stateDef(name: string): StateDef {
    return this.states.find((s) => s.name === name)!;
  }
}
