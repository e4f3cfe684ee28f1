import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { ScannedPage } from '../../drivers/scanner/scanner.js';
import type { ScanPage } from '../contract/types.generated.js';
import type { DeviceRegistry } from '../devices/registry.js';
import type { Logger } from '../log/logger.js';
import type { Publisher } from '../messaging/publisher.js';
import type { PipelineCounters } from '../telemetry/counters.js';
import type { Assignment, Roster } from './assignments/types.js';
import { ClassReport, type ReportSnapshot } from './grading/class-report.js';
import { gradePage, type PageGrade } from './grading/grade-page.js';
import { SavedReports } from './grading/saved-reports.js';
import { wrongQuestionBook } from './grading/wrong-question-book.js';
import type { ImportedSheet } from './omr/omrchecker.js';
import { readOmrSheet } from './omr/read-omr-sheet.js';
import { AssignmentCatalogue, readPage } from './read/page-reader.js';

export interface HomeworkScanningOptions {
  dataDir: string;
  assignments: Assignment[];
  /** Imported OMRChecker sheets: pages without our QR code are read as the one configured. */
  omrSheets: ImportedSheet[];
  /** By class id; the assignment's `class` picks its roster. */
  rosters: Map<string, Roster>;
  devices: DeviceRegistry;
  publisher: Publisher;
  counters: PipelineCounters;
  retentionDays: () => number;
  /** Whether answer crops go out with the results (settings `homework.uploadCrops`). */
  uploadCrops: () => boolean;
  logger: Logger;
  /** Class reports changed by smart-pen pages go out at most this often (pens send pages one by one). */
  penReportEveryMs?: number;
}

interface PageSource {
  onPage(listener: (page: ScannedPage) => void): () => void;
}

const BATCH_END_EVENTS = new Set(['batch-done', 'paper-jam', 'cover-open', 'failed', 'device-gone', 'no-paper', 'cancelled']);
const DAY_MS = 86_400_000;

/**
 * Scanner → page reader → grader → class report → district. Pages are handled one at a time in
 * the order scanned; the scan is kept on the box (never published) for the retention period.
 */
export class HomeworkScanning {
  private readonly catalogue = new AssignmentCatalogue();
  private readonly reports = new Map<string, ClassReport>();
  /** Per assignment, the students whose pages changed since its report last went out. */
  private readonly touched = new Map<string, Set<string>>();
  /** Where each student's latest answer crops are, per assignment: for the wrong-question books. */
  private readonly cropFiles = new Map<string, Map<string, string>>();
  private readonly detach: (() => void)[] = [];
  private queue: Promise<void> = Promise.resolve();
  private retentionTimer: NodeJS.Timeout | null = null;
  private penReportTimer: NodeJS.Timeout | null = null;
  private readonly count;
  private readonly saved: SavedReports;

  constructor(private readonly opts: HomeworkScanningOptions) {
    for (const a of opts.assignments) {
      this.catalogue.add(a);
      this.reports.set(a.id, new ClassReport(a));
    }
    for (const sheet of opts.omrSheets) this.reports.set(sheet.assignment.id, new ClassReport(sheet.assignment));
    const c = (name: string) => opts.counters.counter('scan', name);
    this.count = { graded: c('pagesGraded'), unrecognised: c('pagesUnrecognised'), blank: c('pagesBlank'), rejected: c('pagesRejected'), failed: c('pagesFailed') };
    this.saved = new SavedReports(opts.dataDir, opts.logger);
  }

  /** Restores the class reports saved before a restart, then listens to the scanners. */
  async start(): Promise<void> {
    for (const [id, report] of this.reports) await this.saved.load(id, report);
    for (const info of this.opts.devices.list().filter((d) => d.kind === 'scanner')) {
      const device = this.opts.devices.get(info.id) as unknown as Partial<PageSource> | undefined;
      if (typeof device?.onPage === 'function') this.detach.push(device.onPage((page) => this.enqueue(info.id, page)));
    }
    const onEvent = (event: { device: string; type: string }) => {
      if (BATCH_END_EVENTS.has(event.type)) this.queue = this.queue.then(() => this.publishReports());
    };
    this.opts.devices.on('event', onEvent);
    this.detach.push(() => this.opts.devices.off('event', onEvent));
    this.retentionTimer = setInterval(() => void this.sweepOldScans(), 6 * 3_600_000);
    this.retentionTimer.unref();
    void this.sweepOldScans();
  }

  /** Waits for the pages already scanned, so a stop loses none of them; reports still owed go out. */
  async stop(): Promise<void> {
    for (const d of this.detach.splice(0)) d();
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    if (this.penReportTimer) clearTimeout(this.penReportTimer);
    this.queue = this.queue.then(() => this.publishReports());
    await this.queue;
  }

  /**
   * A page written with a smart pen, graded by the pen pipeline: it counts in its assignment's class
   * report like a scanned page, so a class that does part of its homework with pens and hands the
   * rest in on paper has one report. The report goes out within `penReportEveryMs`.
   */
  addPenPage(grade: PageGrade): void {
    const report = this.reports.get(grade.assignmentId);
    if (!report) return;
    this.queue = this.queue.then(() => {
      report.add(grade, { update: true });
      this.touch(grade.assignmentId, grade.studentId);
    });
    this.penReportTimer ??= setTimeout(() => {
      this.penReportTimer = null;
      this.queue = this.queue.then(() => this.publishReports());
    }, this.opts.penReportEveryMs ?? 30_000);
    this.penReportTimer.unref();
  }

  private enqueue(device: string, page: ScannedPage): void {
    this.queue = this.queue.then(() =>
      this.handle(device, page).catch((err: unknown) => {
        this.count.failed.inc();
        this.opts.logger.error({ err, device, batchId: page.batchId, index: page.index }, 'scanned page could not be processed');
      }),
    );
  }

  /** For the web page: every assignment with scanned pages. */
  summaries(): { assignmentId: string; title: string; classId: string | null; pagesRead: number; handedIn: number; missing: number; needsReview: number; students: string[] }[] {
    return [...this.reports].flatMap(([id, report]) => {
      const assignment = this.assignmentById(id)!;
      const snap = report.snapshot(this.rosterOf(assignment));
      if (snap.pagesRead === 0) return [];
      const needsReview = snap.students.reduce((n, s) => n + s.needsReview.length, 0);
      return [{ assignmentId: id, title: assignment.title, classId: snap.classId, pagesRead: snap.pagesRead, handedIn: snap.handedIn.length, missing: snap.missing.length, needsReview, students: snap.students.map((s) => s.studentId) }];
    });
  }

  /** A student's wrong-question book, built now from the latest report and crops. */
  async book(assignmentId: string, studentId: string): Promise<Buffer> {
    const assignment = this.assignmentById(assignmentId);
    const report = this.reports.get(assignmentId);
    if (!assignment || !report) throw new Error(`unknown assignment "${assignmentId}"`);
    const snapshot = report.snapshot(this.rosterOf(assignment));
    return wrongQuestionBook(assignment, snapshot, studentId, await this.cropsOf(assignmentId, snapshot.students.find((s) => s.studentId === studentId)));
  }

  private rosterOf(assignment: Assignment): Roster | null {
    return assignment.class ? (this.opts.rosters.get(assignment.class) ?? null) : null;
  }

  private async cropsOf(assignmentId: string, student: ReportSnapshot['students'][number] | undefined): Promise<Map<string, Buffer>> {
    const crops = new Map<string, Buffer>();
    if (!student) return crops;
    const files = this.cropFiles.get(`${assignmentId}/${student.studentId}`) ?? new Map<string, string>();
    for (const id of [...student.wrong, ...student.needsReview]) {
      const file = files.get(id);
      if (file) crops.set(id, await readFile(file));
    }
    return crops;
  }

  private assignmentById(id: string): Assignment | undefined {
    return this.opts.assignments.find((a) => a.id === id) ?? this.opts.omrSheets.find((s) => s.assignment.id === id)?.assignment;
  }

  private async handle(device: string, page: ScannedPage): Promise<void> {
    const day = page.receivedAt.slice(0, 10);
    const dir = join(this.opts.dataDir, 'scans', day, page.batchId);
    await mkdir(dir, { recursive: true });
    const file = join(dir, `${String(page.index).padStart(3, '0')}.${page.format === 'jpeg' ? 'jpg' : page.format}`);
    await writeFile(file, page.image);
    const started = performance.now();
    let reading = await readPage(page.image, this.catalogue, { crops: true });
    const [omr, ...more] = this.opts.omrSheets;
    if (reading.status === 'unrecognised' && !reading.assignmentId && omr && more.length === 0) {
      reading = await readOmrSheet(page.image, omr);
      const roll = Object.keys(omr.customLabels)[0];
      const rollReading = roll ? reading.readings.find((r) => r.questionId === roll) : undefined;
      if (typeof rollReading?.value === 'string') reading.studentId = rollReading.value;
    }
    const crops = new Map<string, string>();
    for (const crop of reading.crops ?? []) {
      const cropFile = join(dir, `${String(page.index).padStart(3, '0')}-${crop.questionId}.png`);
      await writeFile(cropFile, crop.png);
      crops.set(crop.questionId, cropFile);
    }
    const base = { device, batchId: page.batchId, index: page.index, image: relative(this.opts.dataDir, file), needsReview: [] as string[] };
    let message: ScanPage;
    if (reading.status === 'read' && reading.assignmentId) {
      const assignment = this.assignmentById(reading.assignmentId)!;
      const grade = gradePage(assignment, reading);
      const { rescanned } = this.reports.get(assignment.id)!.add(grade);
      const key = `${assignment.id}/${grade.studentId ?? 'unknown'}`;
      this.cropFiles.set(key, new Map([...(this.cropFiles.get(key) ?? []), ...crops]));
      this.touch(assignment.id, grade.studentId);
      this.count.graded.inc();
      message = {
        ...base,
        status: 'graded',
        assignmentId: assignment.id,
        page: grade.page,
        studentId: grade.studentId,
        rescanned,
        score: grade.score,
        maxScore: grade.maxScore,
        needsReview: grade.needsReview,
        questions: grade.questions.map(({ questionId, outcome, points, maxPoints, given }) => ({ questionId, outcome, points, maxPoints, given })),
        readMs: performance.now() - started,
        ...(this.opts.uploadCrops() && reading.crops ? { crops: reading.crops.map((c) => ({ questionId: c.questionId, png: c.png.toString('base64') })) } : {}),
      };
    } else {
      const status = reading.status === 'read' ? 'unrecognised' : reading.status;
      this.count[status].inc();
      message = {
        ...base,
        status,
        ...(reading.reason ? { reason: reading.reason } : {}),
        ...(reading.assignmentId ? { assignmentId: reading.assignmentId } : {}),
        readMs: performance.now() - started,
      };
    }
    await this.opts.publisher.publish('scanPage', {}, message);
  }

  private touch(assignmentId: string, studentId: string | null): void {
    const students = this.touched.get(assignmentId) ?? new Set<string>();
    students.add(studentId ?? 'unknown');
    this.touched.set(assignmentId, students);
  }

  private async publishReports(): Promise<void> {
    for (const [id, students] of [...this.touched]) {
      this.touched.delete(id);
      const assignment = this.assignmentById(id)!;
      const roster = this.rosterOf(assignment);
      const report = this.reports.get(id)!;
      const snapshot = report.snapshot(roster);
      await this.saved.save(report, id, students).catch((err: unknown) => this.opts.logger.error({ err, assignment: id }, 'class report not saved: a restart now would start it again'));
      await this.opts.publisher.publish('classReport', { assignment: id }, snapshot).catch((err: unknown) => this.opts.logger.error({ err, assignment: id }, 'class report not queued'));
      await this.writeBooks(assignment, snapshot, students).catch((err: unknown) => this.opts.logger.error({ err, assignment: id }, 'wrong-question books not written'));
    }
  }

  /**
   * The wrong-question books of the students whose pages changed, printable, in
   * `<dataDir>/reports/<assignment>/`: pens send a class's pages one by one, and rewriting every
   * book each time would wear the card for nothing.
   */
  private async writeBooks(assignment: Assignment, snapshot: ReportSnapshot, changed: Set<string>): Promise<void> {
    const dir = join(this.opts.dataDir, 'reports', assignment.id);
    await mkdir(dir, { recursive: true });
    for (const student of snapshot.students.filter((s) => changed.has(s.studentId))) {
      await writeFile(join(dir, `${student.studentId}-wrong-questions.pdf`), await wrongQuestionBook(assignment, snapshot, student.studentId, await this.cropsOf(assignment.id, student)));
    }
  }

  /** Scans are student work: deleted once older than `retention.scansDays`. */
  private async sweepOldScans(): Promise<void> {
    const root = join(this.opts.dataDir, 'scans');
    const cutoff = Date.now() - this.opts.retentionDays() * DAY_MS;
    const days = await readdir(root).catch(() => [] as string[]);
    for (const day of days) {
      const t = Date.parse(`${day}T23:59:59Z`);
      if (Number.isFinite(t) && t < cutoff) {
        await rm(join(root, day), { recursive: true, force: true });
        this.opts.logger.info({ day }, 'deleted scans past the retention period');
      }
    }
  }
}
