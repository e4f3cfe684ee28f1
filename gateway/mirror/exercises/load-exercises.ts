import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { projectRoot } from '../../util/project-root.js';
import { ExerciseError, parseExercise } from './parse-exercise.js';
import type { Exercise } from './types.js';

export const BUILT_IN_DIR = join(projectRoot(), 'gateway', 'mirror', 'exercises', 'data');

export interface LoadedExercises {
  /** By id, built-in ones first, then the school's in file-name order. */
  exercises: Map<string, Exercise>;
  /** Files that were skipped, one line per problem, file name first: for the log and the web page. */
  errors: string[];
  /** Ids used twice, and how that was resolved. */
  warnings: string[];
}

export interface LoadOptions {
  /** The school's own exercises, e.g. `data/exercises`; a folder that does not exist is fine. */
  extraDir?: string;
  builtInDir?: string;
}

/**
 * The built-in exercises plus the school's. A bad file never stops the gateway: it is named in
 * `errors` and skipped. A school file with a built-in's id replaces the built-in (that is how
 * a teacher tunes one); of two school files with one id, the first by name wins.
 */
export async function loadExercises(options: LoadOptions = {}): Promise<LoadedExercises> {
  const result: LoadedExercises = { exercises: new Map(), errors: [], warnings: [] };
  const origin = new Map<string, { file: string; builtIn: boolean }>();
  const dirs = [{ dir: options.builtInDir ?? BUILT_IN_DIR, builtIn: true }, ...(options.extraDir === undefined ? [] : [{ dir: options.extraDir, builtIn: false }])];
  for (const { dir, builtIn } of dirs) {
    for (const file of await jsonFiles(dir, builtIn, result.errors)) {
      const exercise = await readExercise(file, result.errors);
      if (!exercise) continue;
      const earlier = origin.get(exercise.id);
      if (earlier && !earlier.builtIn) {
        result.warnings.push(`${file}: the id "${exercise.id}" is already used by ${earlier.file}; this file is skipped`);
        continue;
      }
      if (earlier) result.warnings.push(`${file}: replaces the built-in exercise "${exercise.id}" (${earlier.file})`);
      origin.set(exercise.id, { file, builtIn });
      result.exercises.set(exercise.id, exercise);
    }
  }
  return result;
}

async function jsonFiles(dir: string, mustExist: boolean, errors: string[]): Promise<string[]> {
  try {
    const names = await readdir(dir);
    return names
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => join(dir, name));
  } catch (err) {
    if (!mustExist && (err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    errors.push(`${dir}: cannot be read (${(err as Error).message})`);
    return [];
  }
}

async function readExercise(file: string, errors: string[]): Promise<Exercise | undefined> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    errors.push(`${file}: ${err instanceof SyntaxError ? 'is not valid JSON' : 'cannot be read'} (${(err as Error).message})`);
    return undefined;
  }
  try {
    return parseExercise(json, file);
  } catch (err) {
    if (!(err instanceof ExerciseError)) throw err;
    errors.push(...err.message.split('\n'));
    return undefined;
  }
}
