import type { Roster } from '../../homework/assignments/types.js';
import type { CardHolder } from './checkin-code.js';

export interface KnownStudent {
  studentId: string;
  name: string;
  classId: string | null;
}

/**
 * Who a check-in names: the class rosters say a student's name and class; the settings say which
 * card UID is whose. A card or code for nobody on a roster is refused, so a stranger's card
 * never puts an unknown id into the district's records.
 */
export class StudentDirectory {
  constructor(
    private readonly rosters: ReadonlyMap<string, Roster>,
    private readonly cards: () => readonly { card: string; student: string }[],
  ) {}

  byCode(holder: CardHolder): KnownStudent | null {
    const student = this.rosters.get(holder.classId)?.students.find((s) => s.id === holder.studentId);
    return student ? { studentId: student.id, name: student.name, classId: holder.classId } : null;
  }

  byCard(uid: string): KnownStudent | null {
    const entry = this.cards().find((c) => c.card.toUpperCase() === uid.toUpperCase());
    return entry ? this.byId(entry.student) : null;
  }

  private byId(studentId: string): KnownStudent | null {
    for (const [classId, roster] of this.rosters) {
      const student = roster.students.find((s) => s.id === studentId);
      if (student) return { studentId, name: student.name, classId };
    }
    return null;
  }
}
