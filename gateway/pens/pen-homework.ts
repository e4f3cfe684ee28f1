import type { HubEvent, PenHub } from '../../drivers/pen-hub/pen-hub.js';
import type { DeviceRegistry } from '../devices/registry.js';
import type { Assignment } from '../homework/assignments/types.js';
import { gradePage, type PageGrade } from '../homework/grading/grade-page.js';
import { layoutAssignment, type PageLayout } from '../homework/layout/layout.js';
import type { Logger } from '../log/logger.js';
import type { Publisher } from '../messaging/publisher.js';
import type { Settings } from '../settings/types.js';
import type { PipelineCounters } from '../telemetry/counters.js';
import type { BurdenSummary, PensSummary } from '../web/status-types.js';
import { inkOnPage } from './answers/ink.js';
import { asPageReading, readPenPage } from './answers/read-pen-page.js';
import { assignmentBurden } from './burden/assignment-burden.js';
import type { Interval } from './burden/time-on-task.js';
import { ClassProgress } from './live/class-progress.js';
import type { PlacedStroke } from './live/class-progress.js';
import { placeStroke, type Placement } from './live/place-stroke.js';
import type { JournalRecord } from './journal/stroke-codec.js';
import { StrokeJournal } from './journal/stroke-journal.js';
import { PageBook, type PageInProgress } from './page-book.js';
import { addressKey, type PaperMap, type PrintedPage } from './paper/paper-map.js';
import { burdenMessage, penLiveMessage, penPageMessage } from './pen-messages.js';
import { StrokeAssembler } from './strokes/stroke-assembler.js';
import type { Stroke } from './strokes/stroke.js';

export interface PenHomeworkOptions {
  devices: DeviceRegistry;
  publisher: Publisher;
  counters: PipelineCounters;
  assignments: Assignment[];
  paperMap: PaperMap;
  settings: () => Settings['pens'];
  logger: Logger;
  /** Each page graded from pen strokes, for the class report it belongs in. */
  onPageGraded?: (grade: PageGrade) => void;
  /** Where strokes are journaled so a crash or power cut mid-homework loses no writing; none: memory only. */
  journalDir?: string;
  /** How often pages are checked, live progress and burden considered for sending. */
  tickMs?: number;
  liveEveryMs?: number;
  burdenEveryMs?: number;
}

const iso = (ms: number) => new Date(ms).toISOString();
/** A page sent and left alone this long is one evening's homework, done: its strokes are let go. */
const PAGE_MEMORY_MS = 12 * 3_600_000;
const sameMac = (a: string | null, b: string) => a !== null && a.toUpperCase() === b.toUpperCase();

/**
 * Pen hubs → strokes → the printed page and question they are on → live progress, the page's
 * answers once the pen has left it, and each class's homework time. Strokes go to the local bus
 * as they finish; pages, progress and burden go through the outbox to the district.
 */
export class PenHomework {
  private readonly assembler = new StrokeAssembler((stroke) => this.onStroke(stroke));
  private readonly book = new PageBook();
  private readonly progress: ClassProgress;
  private readonly layouts = new Map<string, { personalised: PageLayout[]; generic: PageLayout[] }>();
  private readonly assignments = new Map<string, Assignment>();
  /** Pens that wrote on a personalised page and are not in settings: whose they are, learnt. */
  private readonly learnt = new Map<string, string>();
  private readonly penOf = new Map<string, string>();
  private readonly intervals = new Map<string, Map<string, Interval[]>>();
  private readonly burdenChanged = new Set<string>();
  private readonly hubs: PenHub[] = [];
  private readonly detach: (() => void)[] = [];
  private readonly placement: Placement;
  private readonly count;
  private journal: StrokeJournal | null = null;
  private reading: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private lastLive = '';
  private lastLiveAt = 0;
  private lastBurdenAt = 0;

  constructor(private readonly opts: PenHomeworkOptions) {
    for (const a of opts.assignments) {
      this.assignments.set(a.id, a);
      this.layouts.set(a.id, { personalised: layoutAssignment(a, { copy: 'personalised' }), generic: layoutAssignment(a, { copy: 'generic' }) });
    }
    const s = opts.settings();
    this.progress = new ClassProgress({ idleAfterMs: s.idleAfterSeconds * 1000 });
    this.placement = {
      paperMap: opts.paperMap,
      layoutOf: (id, page, copy) => this.layouts.get(id)?.[copy][page - 1],
      penOwner: (mac) => this.ownerOf(mac),
      isTeacherPen: (mac) => this.isTeacher(mac),
    };
    const c = (name: string) => opts.counters.counter('pens', name);
    this.count = {
      strokes: c('strokes'),
      offPaper: c('strokesOnUnknownPaper'),
      unknownWriter: c('strokesOfUnknownWriter'),
      pagesRead: c('pagesRead'),
      pagesFailed: c('pagesFailed'),
      restored: c('strokesRestored'),
    };
  }

  /** Restores the journaled writing (pages, progress, homework time) before the pens are listened to. */
  async start(): Promise<void> {
    if (this.opts.journalDir) {
      // Pens work without it: a journal that cannot be opened costs crash safety, not the homework.
      const opened = await StrokeJournal.open({ dir: this.opts.journalDir, keepMs: PAGE_MEMORY_MS, logger: this.opts.logger }).catch((err: unknown) => {
        this.opts.logger.error({ err, dir: this.opts.journalDir }, 'pen stroke journal cannot be opened: pens work, but a crash or power cut would lose the pages being written');
        return null;
      });
      this.journal = opened?.journal ?? null;
      this.restore(opened?.records ?? []);
    }
    for (const info of this.opts.devices.list().filter((d) => d.kind === 'pen-hub')) {
      const hub = this.opts.devices.get(info.id) as unknown as Partial<PenHub> | undefined;
      if (typeof hub?.onEvent !== 'function') continue;
      this.hubs.push(hub as PenHub);
      this.detach.push(hub.onEvent((event) => this.onHubEvent(info.id, event)));
    }
    this.timer = setInterval(() => this.tick(Date.now()), this.opts.tickMs ?? 1000);
    this.timer.unref();
  }

  /** The strokes still open are closed and every page written on is read and sent. */
  async stop(): Promise<void> {
    for (const d of this.detach.splice(0)) d();
    if (this.timer) clearInterval(this.timer);
    this.assembler.closeSilent(Number.POSITIVE_INFINITY, 0);
    this.readDue(Date.now(), true);
    await this.reading;
    await this.publishLive(Date.now(), true);
    await this.publishBurden(Date.now(), true);
    await this.journal?.close();
  }

  /** The web page's view: counts for everyone, per-student rows (filtered by the web API). */
  summary(): PensSummary {
    const now = Date.now();
    const students = penLiveMessage(now, this.progress.snapshot(now), this.liveContext()).students;
    const burden: BurdenSummary[] = [...this.intervals.keys()].map((id) => {
      const b = this.burdenOf(id);
      const d = b.distribution;
      return { assignmentId: id, limitMinutes: b.limitMinutes, students: d.count, p50Minutes: d.p50 ?? 0, p90Minutes: d.p90 ?? 0, maxMinutes: d.max ?? 0, overLimitShare: d.overLimitShare };
    });
    return { ...this.penCounts(), writing: students.filter((s) => s.state === 'writing').length, idle: students.filter((s) => s.state === 'idle').length, students, burden };
  }

  private onHubEvent(device: string, event: HubEvent): void {
    try {
      this.assembler.push(event);
    } catch (err) {
      this.opts.logger.error({ err, device, type: event.type }, 'pen event could not be handled');
    }
  }

  private ownerOf(mac: string | null): string | null {
    if (mac === null) return null;
    return this.opts.settings().students.find((s) => sameMac(mac, s.pen))?.student ?? this.learnt.get(mac.toUpperCase()) ?? null;
  }

  private isTeacher(mac: string | null): boolean {
    return this.opts.settings().teacherPens.some((t) => sameMac(mac, t));
  }

  private restore(records: JournalRecord[]): void {
    let strokes = 0;
    for (const record of records) {
      if (record.kind === 'page-sent') {
        this.book.restoreSent(record.sent);
        continue;
      }
      this.take(record.stroke);
      strokes++;
    }
    this.count.restored.inc(strokes);
    if (records.length) this.opts.logger.info({ strokes, pagesToSend: this.book.due(Date.now(), 0, true).length }, 'pen writing restored from the stroke journal');
  }

  private onStroke(stroke: Stroke): void {
    this.count.strokes.inc();
    const { printed, placed, studentId, teacher } = this.take(stroke);
    void this.opts.publisher
      .publishLocal('penStroke', {}, {
        pen: stroke.pen,
        mac: stroke.mac,
        studentId,
        address: stroke.address,
        assignmentId: printed?.assignmentId ?? null,
        page: printed?.page ?? null,
        questionId: placed?.questionId ?? null,
        startedAt: iso(stroke.startedAt),
        endedAt: iso(stroke.endedAt),
        dots: stroke.dots.length,
        lostDots: stroke.lostDots,
        repairs: stroke.repairs.map((r) => r.kind),
        eraser: stroke.eraser,
      })
      .catch((err: unknown) => this.opts.logger.warn({ err }, 'pen stroke not published on the local bus'));
    if (!printed) return this.count.offPaper.inc();
    this.journal?.appendStroke(stroke);
    if (!placed && !teacher && !stroke.eraser && studentId === null) this.count.unknownWriter.inc();
  }

  /** A stroke's place in the pages, progress and homework time: shared by live strokes and restored ones. */
  private take(stroke: Stroke): { printed: PrintedPage | undefined; placed: PlacedStroke | null; studentId: string | null; teacher: boolean } {
    const printed = this.opts.paperMap.lookup(stroke.address);
    const teacher = this.isTeacher(stroke.mac);
    // Writing on a personalised page tells whose pen it is, for the generic copies it writes on later.
    if (printed?.studentId && stroke.mac && !teacher && !stroke.eraser && this.ownerOf(stroke.mac) === null) this.learnt.set(stroke.mac.toUpperCase(), printed.studentId);
    const placed = placeStroke(stroke, this.placement);
    const studentId = teacher ? null : (placed?.studentId ?? printed?.studentId ?? this.ownerOf(stroke.mac));
    if (!printed) return { printed, placed, studentId, teacher };
    this.book.add(stroke, printed, { studentId, teacher });
    if (!placed) return { printed, placed, studentId, teacher };
    this.progress.record(placed);
    this.penOf.set(placed.studentId, stroke.pen);
    const perStudent = this.intervals.get(placed.assignmentId) ?? new Map<string, Interval[]>();
    this.intervals.set(placed.assignmentId, perStudent);
    const spans = perStudent.get(placed.studentId) ?? [];
    perStudent.set(placed.studentId, spans);
    // Appended in place: this runs for every stroke, and copying would make it quadratic.
    spans.push({ startedAt: placed.startedAt, endedAt: placed.endedAt });
    this.burdenChanged.add(placed.assignmentId);
    return { printed, placed, studentId, teacher };
  }

  private tick(now: number): void {
    this.assembler.closeSilent(now);
    this.readDue(now, false);
    this.book.forget(now - PAGE_MEMORY_MS);
    this.reading = this.reading.then(async () => {
      await this.publishLive(now, false);
      await this.publishBurden(now, false);
    });
    void this.journal?.flush();
  }

  private readDue(now: number, all: boolean): void {
    for (const page of this.book.due(now, this.opts.settings().pageSettleSeconds * 1000, all)) {
      // Taken now: strokes that arrive while it is read make it due again.
      page.dirty = false;
      page.left = false;
      this.reading = this.reading.then(() =>
        this.readPage(page).catch((err: unknown) => {
          this.count.pagesFailed.inc();
          this.opts.logger.error({ err, assignment: page.printed.assignmentId, page: page.printed.page }, 'pen page could not be read');
        }),
      );
    }
  }

  private async readPage(page: PageInProgress): Promise<void> {
    const assignment = this.assignments.get(page.printed.assignmentId);
    const layout = this.layouts.get(page.printed.assignmentId)?.[page.printed.studentId === null ? 'generic' : 'personalised'][page.printed.page - 1];
    if (!assignment || !layout || layout.layoutHash !== page.printed.layoutHash) {
      this.opts.logger.warn({ assignment: page.printed.assignmentId, page: page.printed.page }, 'pen page not read: its assignment is not loaded, or was changed after printing');
      return;
    }
    const strokes = page.strokes.length;
    const reading = await readPenPage(assignment, layout, inkOnPage(page.strokes, this.opts.paperMap.origin), { studentId: page.studentId });
    const grade = gradePage(assignment, asPageReading(reading));
    page.revision += 1;
    await this.opts.publisher.publish('penPage', {}, penPageMessage(page, reading, grade));
    this.journal?.appendPageSent({ key: addressKey(page.printed.address), revision: page.revision, strokes });
    this.count.pagesRead.inc();
    this.opts.onPageGraded?.(grade);
  }

  private penCounts(): { connected: number; ready: number } {
    const pens = this.hubs.flatMap((h) => h.pens());
    return { connected: pens.length, ready: pens.filter((p) => p.ready).length };
  }

  private liveContext() {
    return {
      pens: this.penCounts(),
      penOf: (studentId: string) => this.penOf.get(studentId) ?? null,
      questionsIn: (id: string) => this.assignments.get(id)?.pages.reduce((n, p) => n + p.questions.length, 0) ?? 0,
    };
  }

  private async publishLive(now: number, force: boolean): Promise<void> {
    if (!force && now - this.lastLiveAt < (this.opts.liveEveryMs ?? 5000)) return;
    const message = penLiveMessage(now, this.progress.snapshot(now), this.liveContext());
    const { at: _at, ...content } = message;
    const json = JSON.stringify(content);
    if (json === this.lastLive) return;
    this.lastLive = json;
    this.lastLiveAt = now;
    await this.opts.publisher.publish('penLive', {}, message).catch((err: unknown) => this.opts.logger.warn({ err }, 'live pen progress not queued'));
  }

  private burdenOf(assignmentId: string) {
    const breakAfterMs = this.opts.settings().breakAfterMinutes * 60_000;
    return assignmentBurden(this.assignments.get(assignmentId)!, this.intervals.get(assignmentId) ?? new Map(), { shortGapMs: 5_000, breakAfterMs });
  }

  private async publishBurden(now: number, force: boolean): Promise<void> {
    if (!force && now - this.lastBurdenAt < (this.opts.burdenEveryMs ?? 30_000)) return;
    this.lastBurdenAt = now;
    for (const id of [...this.burdenChanged]) {
      this.burdenChanged.delete(id);
      await this.opts.publisher.publish('homeworkBurden', { assignment: id }, burdenMessage(this.burdenOf(id), now)).catch((err: unknown) => this.opts.logger.warn({ err, assignment: id }, 'homework burden not queued'));
    }
  }
}
