import { TimeAccumulator } from '../burden/time-on-task.js';

/** One stroke, placed: whose it is, on which page, in which question's field (null: outside every field). */
export interface PlacedStroke {
  studentId: string;
  assignmentId: string;
  page: number;
  questionId: string | null;
  startedAt: number;
  endedAt: number;
}

export interface StudentProgress {
  studentId: string;
  assignmentId: string;
  page: number;
  /** Question ids written in, in the order first written. */
  answered: string[];
  activeMs: number;
  /** Pauses of idleAfterMs or more, including the one going on now. */
  idleMs: number;
  lastActivityAt: number;
  status: 'writing' | 'thinking' | 'idle';
}

export interface ProgressRules {
  /** Gaps shorter than this count as writing. */
  shortGapMs: number;
  /** A pause this long or longer is idle time. */
  idleAfterMs: number;
}

interface Tracked {
  latest: PlacedStroke;
  answered: Set<string>;
  time: TimeAccumulator;
}

/** Each student's writing as it happens, for the teacher's live class page. */
export class ClassProgress {
  private readonly students = new Map<string, Tracked>();
  private readonly rules: ProgressRules;

  constructor(rules: Partial<ProgressRules> = {}) {
    this.rules = { shortGapMs: rules.shortGapMs ?? 5_000, idleAfterMs: rules.idleAfterMs ?? 60_000 };
  }

  record(stroke: PlacedStroke): void {
    let t = this.students.get(stroke.studentId);
    if (!t) {
      t = { latest: stroke, answered: new Set(), time: new TimeAccumulator({ shortGapMs: this.rules.shortGapMs, breakAfterMs: this.rules.idleAfterMs }) };
      this.students.set(stroke.studentId, t);
    }
    t.latest = stroke;
    if (stroke.questionId) t.answered.add(stroke.questionId);
    t.time.add(stroke);
  }

  /** Every student seen, sorted by id (numbers in ids in numeric order). */
  snapshot(now: number): StudentProgress[] {
    return [...this.students.values()]
      .map(({ latest, answered, time }) => {
        const t = time.result()!;
        const quiet = Math.max(0, now - t.lastAt);
        const idleNow = quiet >= this.rules.idleAfterMs ? quiet : 0;
        const breaks = t.breaks.reduce((sum, b) => sum + b.endedAt - b.startedAt, 0);
        const status: StudentProgress['status'] = quiet < this.rules.shortGapMs ? 'writing' : idleNow ? 'idle' : 'thinking';
        return { studentId: latest.studentId, assignmentId: latest.assignmentId, page: latest.page, answered: [...answered], activeMs: t.activeMs, idleMs: breaks + idleNow, lastActivityAt: t.lastAt, status };
      })
      .sort((a, b) => a.studentId.localeCompare(b.studentId, undefined, { numeric: true }));
  }
}
