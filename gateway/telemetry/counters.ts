/**
 * Monotonic counters per pipeline ("scans", "pens", …): pipelines count what they did, telemetry
 * publishes the snapshot. Monotonic so the district can compute rates across gateway messages
 * (a restart shows as the counter dropping, the usual counter-reset rule).
 */
export interface Counter {
  inc(n?: number): void;
  readonly value: number;
}

class CounterCell implements Counter {
  value = 0;

  constructor(private readonly label: string) {}

  inc(n = 1): void {
    // A negative or fractional step is a caller bug that would corrupt every rate computed downstream.
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`counter ${this.label}: increment must be a non-negative integer, got ${n}`);
    this.value += n;
  }
}

export class PipelineCounters {
  readonly #pipelines = new Map<string, Map<string, CounterCell>>();

  /** Returns the same counter for the same names, so a pipeline may look it up per use or keep it. */
  counter(pipeline: string, name: string): Counter {
    let group = this.#pipelines.get(pipeline);
    if (!group) this.#pipelines.set(pipeline, (group = new Map()));
    let cell = group.get(name);
    if (!cell) group.set(name, (cell = new CounterCell(`${pipeline}.${name}`)));
    return cell;
  }

  snapshot(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const [pipeline, group] of this.#pipelines) {
      out[pipeline] = Object.fromEntries([...group].map(([name, cell]) => [name, cell.value]));
    }
    return out;
  }
}
