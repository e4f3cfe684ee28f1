import type { Assignment } from '../../homework/assignments/types.js';
import { burdenDistribution, type BurdenDistribution } from './distribution.js';
import { homeworkLimitMinutes } from './limits.js';
import { DEFAULT_TIME_RULES, timeOnTask, type Interval, type TimeRules } from './time-on-task.js';

export interface StudentBurden {
  studentId: string;
  activeMinutes: number;
  /** Time on task: first stroke to last, minus breaks. This is what is compared with the limit. */
  elapsedMinutes: number;
  breaks: { startedAt: number; minutes: number }[];
  overLimit: boolean | null;
}

export interface AssignmentBurden {
  assignmentId: string;
  grade: number;
  /**
   * The national limit is for a day's written homework in all subjects; one assignment is
   * compared with it alone, so a figure over it is certain and one under it is not a clean bill.
   */
  limitMinutes: number | null;
  students: StudentBurden[];
  distribution: BurdenDistribution;
}

const minutes = (ms: number) => Math.round(ms / 6_000) / 10;

/** Homework burden of one assignment: each student's time on task, and the class's spread. */
export function assignmentBurden(assignment: Assignment, strokesByStudent: Map<string, Interval[]>, rules: TimeRules = DEFAULT_TIME_RULES): AssignmentBurden {
  const limitMinutes = homeworkLimitMinutes(assignment.grade);
  const students: StudentBurden[] = [];
  for (const [studentId, strokes] of strokesByStudent) {
    const t = timeOnTask(strokes, rules);
    if (!t) continue;
    const elapsedMinutes = minutes(t.elapsedMs);
    students.push({
      studentId,
      activeMinutes: minutes(t.activeMs),
      elapsedMinutes,
      breaks: t.breaks.map((b) => ({ startedAt: b.startedAt, minutes: minutes(b.endedAt - b.startedAt) })),
      overLimit: limitMinutes === null ? null : elapsedMinutes > limitMinutes,
    });
  }
  students.sort((a, b) => a.studentId.localeCompare(b.studentId, undefined, { numeric: true }));
  return { assignmentId: assignment.id, grade: assignment.grade, limitMinutes, students, distribution: burdenDistribution(students.map((s) => s.elapsedMinutes), limitMinutes) };
}
