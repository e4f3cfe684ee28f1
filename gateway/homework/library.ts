import { copyFile, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Logger } from '../log/logger.js';
import { projectRoot } from '../util/project-root.js';
import { loadAssignment } from './assignments/load-assignment.js';
import { parseRosterCsv } from './assignments/roster.js';
import { importOmrChecker, type ImportedSheet, type OmrEvaluation, type OmrTemplate } from './omr/omrchecker.js';
import type { Assignment, Roster } from './assignments/types.js';

export interface HomeworkLibrary {
  dir: string;
  assignments: Assignment[];
  rosters: Map<string, Roster>;
  /** Bubble sheets imported from OMRChecker (`<name>/template.json` + `evaluation.json`). */
  omrSheets: ImportedSheet[];
  /** Files that could not be used, with why: shown to IT, never fatal. */
  problems: string[];
}

const EXAMPLES = ['fractions-week3.json', 'class-5b.csv'];

/**
 * Assignments (`*.json`), class rosters (`<class>.csv`) and OMRChecker sheets (a folder with
 * `template.json` and `evaluation.json`) live in `<dataDir>/assignments/`. On
 * first start the example assignment and roster are put there, so the simulated scanner has a
 * class's homework to scan and IT sees where their own files go.
 */
export async function loadHomeworkLibrary(dataDir: string, logger: Logger): Promise<HomeworkLibrary> {
  const dir = join(dataDir, 'assignments');
  const fresh = await readdir(dir).then(
    () => false,
    () => true,
  );
  if (fresh) {
    await mkdir(dir, { recursive: true });
    for (const file of EXAMPLES) await copyFile(join(projectRoot(), 'gateway', 'homework', 'assignments', 'examples', file), join(dir, file));
    logger.info({ dir }, 'first start: installed the example assignment and class roster');
  }
  const library: HomeworkLibrary = { dir, assignments: [], rosters: new Map(), omrSheets: [], problems: [] };
  for (const file of (await readdir(dir)).sort()) {
    const path = join(dir, file);
    try {
      if ((await stat(path)).isDirectory()) {
        const template = JSON.parse(await readFile(join(path, 'template.json'), 'utf8')) as OmrTemplate;
        const evaluation = await readFile(join(path, 'evaluation.json'), 'utf8').then((t) => JSON.parse(t) as OmrEvaluation, () => undefined);
        library.omrSheets.push(importOmrChecker(file, template, evaluation));
      } else if (file.endsWith('.json')) {
        library.assignments.push(loadAssignment(JSON.parse(await readFile(path, 'utf8'))));
      } else if (file.endsWith('.csv')) {
        const classId = basename(file, '.csv').replace(/^class-/, '');
        library.rosters.set(classId, parseRosterCsv(await readFile(path, 'utf8'), classId));
      }
    } catch (err) {
      const problem = `${file}: ${(err as Error).message}`;
      library.problems.push(problem);
      logger.error({ file: path }, `homework file not used: ${problem}`);
    }
  }
  return library;
}
