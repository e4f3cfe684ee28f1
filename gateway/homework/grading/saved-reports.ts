import { readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../log/logger.js';
import { AtomicJsonFile } from '../../settings/atomic-json-file.js';
import type { ClassReport, SavedStudent } from './class-report.js';
import type { PageGrade } from './grade-page.js';

/** How releases before per-student files kept a report: the whole class in one file. */
interface WholeClassReport {
  assignmentId: string;
  pages: PageGrade[];
  rescanned: string[];
}

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

  /** Fills an empty report with what was saved; a damaged file is reported and set aside, the rest kept. */
  async load(assignmentId: string, into: ClassReport): Promise<void> {
    await this.splitWholeClassReport(assignmentId, into);
    // A write a crash interrupted leaves a temp file; the student's file before it stands.
    await AtomicJsonFile.removeStaleTempsIn(this.dir(assignmentId));
    const names = await readdir(this.dir(assignmentId)).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      const file = this.file(assignmentId, decodeURIComponent(name.slice(0, -'.json'.length)));
      try {
        const saved = await file.read();
        if (saved) into.restoreStudent(saved);
      } catch (err) {
        await this.setAside(file.file, assignmentId, err);
      }
    }
  }

  async save(report: ClassReport, assignmentId: string, students: Iterable<string>): Promise<void> {
    for (const studentId of students) await this.file(assignmentId, studentId).write(report.savedStudent(studentId));
  }

  /** A box upgraded from a release that kept the whole class in one file: its students are written one file each, and it goes. */
  private async splitWholeClassReport(assignmentId: string, into: ClassReport): Promise<void> {
    const old = new AtomicJsonFile(join(this.dataDir, 'reports', assignmentId, 'class-report.json'), (text) => JSON.parse(text) as WholeClassReport);
    try {
      const saved = await old.read();
      if (!saved) return;
      if (!Array.isArray(saved.pages) || !Array.isArray(saved.rescanned)) throw new Error(`not a saved class report of ${assignmentId}`);
      const students = new Set(saved.pages.map((g) => g.studentId ?? 'unknown'));
      for (const studentId of students) {
        into.restoreStudent({ assignmentId: saved.assignmentId, studentId, pages: saved.pages.filter((g) => (g.studentId ?? 'unknown') === studentId), rescanned: saved.rescanned.includes(studentId) });
      }
      await this.save(into, assignmentId, students);
      await unlink(old.file);
    } catch (err) {
      await this.setAside(old.file, assignmentId, err);
    }
  }

  private async setAside(file: string, assignmentId: string, err: unknown): Promise<void> {
    const aside = `${file}.damaged-${Date.now()}`;
    await rename(file, aside).catch(() => undefined);
    this.logger.error({ err, assignment: assignmentId, file: aside }, 'a saved class report could not be read: set aside; its pages count again once read again');
  }
}
