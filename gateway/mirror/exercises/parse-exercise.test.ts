import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KEYPOINT_NAMES, PAIRED_PARTS } from './keypoints.js';
import { BUILT_IN_DIR } from './load-exercises.js';
import schema from './exercise.schema.json' with { type: 'json' };
import { ExerciseError, parseExercise } from './parse-exercise.js';

const squatJson = () => JSON.parse(readFileSync(join(BUILT_IN_DIR, 'squat.json'), 'utf8')) as Record<string, any>;

/** The problem lines for a squat file changed by `edit`. */
function problems(edit: (doc: Record<string, any>) => void): string[] {
  const doc = squatJson();
  edit(doc);
  try {
    parseExercise(doc, 'exercises/squat.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ExerciseError);
    return (err as ExerciseError).message.split('\n');
  }
  throw new Error('the file was accepted');
}

describe('exercise files: schema errors name the file, the path and what is allowed', () => {
  it('a quoted number', () => {
    expect(problems((d) => (d.states[1].enter.knee.max = '135'))).toEqual(['exercises/squat.json: states[1].enter.knee.max must be a number']);
  });

  it('a misspelt key, with the keys allowed there', () => {
    expect(problems((d) => (d.measures.knee.point = d.measures.knee.points))).toEqual([
      'exercises/squat.json: measures.knee.point is not a known key (allowed here: kind, points, sides)',
    ]);
  });

  it('a missing key, an unknown kind and a keypoint that does not exist, all at once', () => {
    const lines = problems((d) => {
      delete d.rep;
      d.form[0].kind = 'depth';
      d.measures.knee.points[1] = 'kneecap';
    });
    expect(lines).toContain('exercises/squat.json: rep is missing');
    expect(lines).toContain('exercises/squat.json: form[0].kind must be one of "range", "symmetry", "tempo"');
    expect(lines.find((l) => l.includes('measures.knee.points[1]'))).toMatch(/must be one of "nose", .*"knee", "ankle"$/);
  });

  it('a measure name that is not a name', () => {
    expect(problems((d) => (d.measures['knee angle'] = d.measures.knee))).toEqual([
      'exercises/squat.json: measures["knee angle"] is not a valid name: use letters, digits and _, starting with a letter',
    ]);
  });
});

describe('exercise files: what the schema cannot say', () => {
  it('a state or rule naming a measure that is not declared', () => {
    expect(problems((d) => (d.states[0].enter = { knees: { min: 160 } }))).toContain(
      'exercises/squat.json: states[0].enter.knees: no measure named "knees" (measures: knee)',
    );
  });

  it('a rep that does not come back to where it started, or names an unknown state', () => {
    expect(problems((d) => (d.rep = ['up', 'down']))).toEqual(['exercises/squat.json: rep must NOT have fewer than 3 items']);
    expect(problems((d) => (d.rep = ['up', 'down', 'low']))).toEqual([
      'exercises/squat.json: rep[2]: no state named "low" (states: up, down)',
      'exercises/squat.json: rep: must end in the state it starts in ("up"), e.g. ["up", "down", "up"]',
    ]);
  });

  it('two states of a rep without a dead-band between them', () => {
    expect(problems((d) => (d.states[1].enter.knee.max = 165))[0]).toMatch(/"up" and "down" can both hold at once.*dead-band/);
  });

  it('"same" side in an exercise that does not alternate, symmetry without sides, and a reversed tempo window', () => {
    const lines = problems((d) => {
      d.measures.knee.sides = 'same';
      d.measures.spread = { kind: 'distance', between: ['left_ankle', 'right_ankle'] };
      d.form[1].measure = 'spread';
      d.form[2].minMs = 7000;
    });
    expect(lines).toEqual([
      'exercises/squat.json: measures.knee.sides: "same" is only for alternating exercises',
      'exercises/squat.json: form[1].measure: "spread" has no left and right (name a paired part such as "knee" in it)',
      'exercises/squat.json: form[2]: minMs must be below maxMs',
    ]);
  });
});

describe('parseExercise', () => {
  it('fills in the defaults and leaves the JSON it was given alone', () => {
    const doc = squatJson();
    const exercise = parseExercise(doc, 'squat.json');
    expect(exercise.visibility).toEqual({ keypoints: ['hip', 'knee', 'ankle'], minScore: 0.3, lostAfterMs: 700, message: 'Step into view' });
    expect(doc).toEqual(squatJson());
    doc.measures.spread = { kind: 'distance', between: ['wrist', 'hip'] };
    expect(parseExercise(doc, 'squat.json').measures['spread']).toEqual({ kind: 'distance', between: ['wrist', 'hip'], axis: 'xy', scale: 'torso', sides: 'mean' });
  });

  it('knows the same keypoint names as the engine', () => {
    expect(schema.definitions.keypoint.enum).toEqual([...KEYPOINT_NAMES, ...PAIRED_PARTS]);
  });
});
