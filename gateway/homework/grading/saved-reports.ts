import { readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../log/logger.js';
import { AtomicJsonFile } from '../../settings/atomic-json-file.js';
import type { ClassReport, SavedStudent } from './class-report.js';

/**
 * Class reports kept on the card, one small file per student (`reports/<assignment>/students/`):
 * pens send a class's pages one by one, and only the students whose pages changed are rewritten,
 * not the whole class every time.
 */
export class SavedReports {
  constructor(
    private readonly dataDir: string,
    private readonly logger: Logger,
  ) {}

  private dir(assignmentId: string): string {
    return join(this.dataDir, 'reports', assignmentId, 'students');
  }

  private file(assignmentId: string, studentId: string): AtomicJsonFile<SavedStudent> {
    return new AtomicJsonFile(join(this.dir(assignmentId), `${encodeURIComponent(studentId)}.json`), (text) => JSON.parse(text) as SavedStudent);
  }

  /** Fills an empty report with what was saved; a damaged student file is reported and set aside, the rest kept. */
  async load(assignmentId: string, into: ClassReport): Promise<void> {
    // A write a crash interrupted leaves a temp file; the student's file before it stands.
    await AtomicJsonFile.removeStaleTempsIn(this.dir(assignmentId));
    const names = await readdir(this.dir(assignmentId)).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      const file = this.file(assignmentId, decodeURIComponent(name.slice(0, -'.json'.length)));
      try {
        const saved = await file.read();
        if (saved) into.restoreStudent(saved);
      } catch (err) {
        const aside = `${file.file}.damaged-${Date.now()}`;
        await rename(file.file, aside).catch(() => undefined);
        this.logger.error({ err, assignment: assignmentId, file: aside }, "a student's saved class report could not be read: set aside; their pages count again once read again");
      }
    }
  }

  async save(report: ClassReport, assignmentId: string, students: Iterable<string>): Promise<void> {
    for (const studentId of students) await this.file(assignmentId, studentId).write(report.savedStudent(studentId));
  }
}
