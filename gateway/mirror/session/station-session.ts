import { randomUUID } from 'node:crypto';
import type { MirrorCheckin, MirrorLive, MirrorRep, MirrorSession } from '../../contract/types.generated.js';
import type { MirrorSettings } from '../../settings/types.js';
import type { KnownStudent } from '../checkin/student-directory.js';
import { ExerciseCounter, type Exercise, type Pose, type SessionSummary } from '../exercises/index.js';

export type CheckinMethod = 'qr' | 'card';

export type StationEvent = { type: 'checkin'; message: MirrorCheckin } | { type: 'rep'; message: MirrorRep } | { type: 'session'; message: MirrorSession };

/** What the screen shows, apart from the pose, the rate and the day's check-ins. */
export type StationView = Pick<MirrorLive, 'state' | 'message' | 'student' | 'exercise' | 'reps' | 'targetReps' | 'lastRep'>;

export const WAITING_MESSAGE = 'Show your QR card or tap your card to check in';
const PRESENT_MESSAGE = 'Show your QR card to check in, or just start moving';
const DONE_MESSAGE = 'Well done! All exercises finished';

interface Session {
  id: string;
  method: MirrorCheckin['method'];
  student: KnownStudent | null;
  startedAt: number;
  lastSeenAt: number;
  /** Anonymous sessions are announced at their first repetition: a passer-by is not a check-in. */
  announced: boolean;
  step: number;
  counter: ExerciseCounter | null;
  restUntil: number;
  done: SessionSummary[];
  names: Map<string, string>;
  lastRep: MirrorLive['lastRep'];
  visibilityMessage: string | null;
}

export interface StationSessionOptions {
  station: string;
  exercises: ReadonlyMap<string, Exercise>;
  settings: () => MirrorSettings;
  /** Camera width / height, for the exercises' angles; read as each exercise starts. */
  aspectRatio: () => number;
}

/**
 * One mirror's sessions: who is in front of it (checked in or anonymous), which exercise of the
 * programme they are on, their repetitions, and when they have left. Time is the caller's
 * (wall-clock ms), so the whole life of a session can be replayed in a test.
 */
export class StationSession {
  private session: Session | null = null;
  private presentSince: number | null = null;
  private lastPoseAt = -Infinity;

  constructor(private readonly opts: StationSessionOptions) {}

  get current(): { id: string; studentId: string | null } | null {
    return this.session ? { id: this.session.id, studentId: this.session.student?.studentId ?? null } : null;
  }

  checkIn(student: KnownStudent, method: CheckinMethod, t: number): StationEvent[] {
    if (this.session?.student?.studentId === student.studentId) return [];
    const events = this.end(t);
    const session = this.open(method, student, t);
    session.announced = true;
    events.push(this.checkinEvent(session, t));
    return events;
  }

  /** A frame's outcome: a pose, or null when nobody (or nobody clearly) was seen. */
  feed(pose: Pose | null, t: number): StationEvent[] {
    const settings = this.opts.settings();
    if (pose) {
      this.lastPoseAt = t;
      this.presentSince ??= t;
    } else if (t - this.lastPoseAt > 1000) {
      this.presentSince = null;
    }
    const events: StationEvent[] = [];
    if (!this.session) {
      if (settings.allowAnonymous && this.presentSince !== null && t - this.presentSince >= settings.anonymousAfterSeconds * 1000) this.open('anonymous', null, t);
      return events;
    }
    const session = this.session;
    if (pose) session.lastSeenAt = t;
    if (t - session.lastSeenAt >= settings.leaveAfterSeconds * 1000) return this.end(t);
    this.advance(session, t);
    if (pose && session.counter && session.restUntil <= t) {
      for (const event of session.counter.feed(pose)) {
        if (event.type === 'visibility') session.visibilityMessage = event.visible ? null : event.message;
        if (event.type !== 'rep') continue;
        if (!session.announced) {
          session.announced = true;
          events.push(this.checkinEvent(session, t));
        }
        const { rep } = event;
        session.lastRep = { index: rep.index, score: rep.score, feedback: rep.feedback };
        events.push({
          type: 'rep',
          message: {
            station: this.opts.station,
            sessionId: session.id,
            studentId: session.student?.studentId ?? null,
            exerciseId: session.counter.exercise.id,
            index: rep.index,
            ...(rep.side ? { side: rep.side } : {}),
            score: rep.score,
            feedback: rep.feedback,
            durationMs: rep.durationMs,
            at: new Date(t).toISOString(),
          },
        });
      }
    }
    return events;
  }

  /** Ends the open session, if any: its summary, when there is something to say. */
  end(t: number): StationEvent[] {
    const session = this.session;
    if (!session) return [];
    this.session = null;
    this.presentSince = null;
    if (session.counter && session.counter.count > 0) this.finishStep(session);
    if (!session.announced) return [];
    const exercises = session.done.map((s) => ({
      exerciseId: s.exerciseId,
      name: session.names.get(s.exerciseId) ?? s.exerciseId,
      reps: s.reps,
      meanScore: s.meanScore,
      bestScore: s.best?.score ?? null,
      worstScore: s.worst?.score ?? null,
      activeSeconds: Math.round(s.activeMs / 100) / 10,
      feedback: s.feedback,
    }));
    const { station } = this.opts;
    const message: MirrorSession = { station, sessionId: session.id, method: session.method, studentId: session.student?.studentId ?? null, classId: session.student?.classId ?? null, startedAt: new Date(session.startedAt).toISOString(), endedAt: new Date(t).toISOString(), exercises };
    return [{ type: 'session', message }];
  }

  view(t: number): StationView {
    const session = this.session;
    if (!session) {
      const present = this.presentSince !== null;
      return { state: 'waiting', message: present ? PRESENT_MESSAGE : WAITING_MESSAGE, student: null, exercise: null, reps: 0, targetReps: null, lastRep: null };
    }
    const student = session.student ? { id: session.student.studentId, name: session.student.name } : null;
    const counter = session.counter;
    if (!counter) return { state: 'resting', message: DONE_MESSAGE, student, exercise: null, reps: 0, targetReps: null, lastRep: session.lastRep };
    const exercise = { id: counter.exercise.id, name: counter.exercise.name };
    const targetReps = this.programme()[session.step]?.reps ?? null;
    if (session.restUntil > t) return { state: 'resting', message: `Next: ${counter.exercise.name}`, student, exercise, reps: 0, targetReps, lastRep: session.lastRep };
    return { state: 'exercising', message: session.visibilityMessage, student, exercise, reps: counter.count, targetReps, lastRep: session.lastRep };
  }

  private programme(): { exercise: Exercise; reps: number }[] {
    return this.opts.settings().programme.flatMap((p) => {
      const exercise = this.opts.exercises.get(p.exercise);
      return exercise ? [{ exercise, reps: p.reps }] : [];
    });
  }

  private open(method: Session['method'], student: KnownStudent | null, t: number): Session {
    const session: Session = { id: randomUUID(), method, student, startedAt: t, lastSeenAt: t, announced: false, step: -1, counter: null, restUntil: 0, done: [], names: new Map(), lastRep: null, visibilityMessage: null };
    this.session = session;
    this.startStep(session, 0, t, 0);
    return session;
  }

  /** Moves on to the next exercise once this one's repetitions are done. */
  private advance(session: Session, t: number): void {
    const target = this.programme()[session.step]?.reps;
    if (!session.counter || target === undefined || session.counter.count < target) return;
    this.finishStep(session);
    this.startStep(session, session.step + 1, t, this.opts.settings().restSeconds * 1000);
  }

  private startStep(session: Session, step: number, t: number, restMs: number): void {
    const next = this.programme()[step];
    session.step = step;
    session.counter = next ? new ExerciseCounter(next.exercise, { aspectRatio: this.opts.aspectRatio() }) : null;
    // No rest (the first exercise): none at all, also for a frame captured just before a check-in
    // that is read after it (frames carry their capture time, a tapped card the time of the tap).
    session.restUntil = restMs > 0 ? t + restMs : 0;
    session.visibilityMessage = null;
    if (next) session.names.set(next.exercise.id, next.exercise.name);
  }

  private finishStep(session: Session): void {
    if (session.counter) session.done.push(session.counter.summary());
    session.counter = null;
  }

  private checkinEvent(session: Session, t: number): StationEvent {
    const message: MirrorCheckin = { station: this.opts.station, sessionId: session.id, method: session.method, studentId: session.student?.studentId ?? null, classId: session.student?.classId ?? null, at: new Date(t).toISOString() };
    return { type: 'checkin', message };
  }
}
