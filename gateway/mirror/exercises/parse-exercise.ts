import { Ajv } from 'ajv';
import { isPaired } from './keypoints.js';
import { refsOf } from './measures.js';
import schema from './exercise.schema.json' with { type: 'json' };
import { describeSchemaErrors } from './schema-errors.js';
import type { Exercise, Range, StateDef } from './types.js';

/** A file that is not a usable exercise; `problems` are one line each, path first. */
export class ExerciseError extends Error {
  override readonly name = 'ExerciseError';

  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(problems.map((p) => `${source}: ${p}`).join('\n'));
  }
}

// useDefaults fills the optional keys (sides, scale, minScore...) so the engine never guesses.
const validate = new Ajv({ allErrors: true, strict: true, useDefaults: true, verbose: true, discriminator: true }).compile(schema);

/**
 * An exercise file's JSON, checked against the schema and for what a schema cannot say (names
 * that must exist, a rep that comes back to where it started, a dead-band between states).
 * `source` (the file name) starts every problem line. The JSON is not modified.
 */
export function parseExercise(json: unknown, source: string): Exercise {
  const doc: unknown = structuredClone(json);
  if (!validate(doc)) throw new ExerciseError(source, describeSchemaErrors(validate.errors ?? []));
  const exercise = doc as unknown as Exercise;
  const problems = crossCheck(exercise);
  if (problems.length) throw new ExerciseError(source, problems);
  return exercise;
}

function crossCheck(ex: Exercise): string[] {
  const problems: string[] = [];
  const measureNames = Object.keys(ex.measures);
  const needMeasure = (path: string, name: string) => {
    if (!(name in ex.measures)) problems.push(`${path}: no measure named "${name}" (measures: ${measureNames.join(', ')})`);
  };
  for (const [name, m] of Object.entries(ex.measures)) {
    if ((m.sides === 'same' || m.sides === 'opposite') && !ex.alternating) problems.push(`measures.${name}.sides: "${m.sides}" is only for alternating exercises`);
  }
  const stateNames = ex.states.map((s) => s.name);
  ex.states.forEach((s, i) => {
    if (stateNames.indexOf(s.name) !== i) problems.push(`states[${i}].name: "${s.name}" is used twice`);
    for (const [measure, range] of Object.entries(s.enter)) {
      needMeasure(`states[${i}].enter.${measure}`, measure);
      if (range.min !== undefined && range.max !== undefined && range.min > range.max) problems.push(`states[${i}].enter.${measure}: min is above max`);
    }
  });
  problems.push(...checkRep(ex.rep, ex.states));
  ex.form.forEach((rule, i) => {
    if (rule.kind === 'tempo') {
      if (rule.minMs >= rule.maxMs) problems.push(`form[${i}]: minMs must be below maxMs`);
      return;
    }
    needMeasure(`form[${i}].measure`, rule.measure);
    const measure = ex.measures[rule.measure];
    if (rule.kind === 'symmetry' && measure && !refsOf(measure).some(isPaired)) {
      problems.push(`form[${i}].measure: "${rule.measure}" has no left and right (name a paired part such as "knee" in it)`);
    }
  });
  return problems;
}

function checkRep(rep: readonly string[], states: readonly StateDef[]): string[] {
  const problems: string[] = [];
  const byName = new Map(states.map((s) => [s.name, s]));
  rep.forEach((name, i) => {
    if (!byName.has(name)) problems.push(`rep[${i}]: no state named "${name}" (states: ${[...byName.keys()].join(', ')})`);
    else if (i > 0 && rep[i - 1] === name) problems.push(`rep[${i}]: "${name}" follows itself`);
  });
  if (rep[0] !== rep.at(-1)) problems.push(`rep: must end in the state it starts in ("${rep[0]}"), e.g. ["up", "down", "up"]`);
  if (problems.length) return problems;
  for (let i = 1; i < rep.length; i++) {
    const a = byName.get(rep[i - 1]!)!;
    const b = byName.get(rep[i]!)!;
    if (!separated(a, b)) {
      problems.push(
        `states: "${a.name}" and "${b.name}" can both hold at once; give them bounds on the same measure with a gap (dead-band) between, e.g. ${a.name}: knee min 160, ${b.name}: knee max 120`,
      );
    }
  }
  return problems;
}

/** Two states are separated when some measure's bounds in both leave a gap: they never both hold. */
function separated(a: StateDef, b: StateDef): boolean {
  return Object.entries(a.enter).some(([measure, ra]) => {
    const rb = b.enter[measure];
    return rb !== undefined && (gapBetween(ra, rb) || gapBetween(rb, ra));
  });
}

const gapBetween = (low: Range, high: Range) => low.max !== undefined && high.min !== undefined && low.max < high.min;
