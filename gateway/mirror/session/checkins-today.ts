import type { MirrorLive } from '../../contract/types.generated.js';

type CheckinToday = MirrorLive['checkinsToday'][number];

function localDay(t: number): string {
  const d = new Date(t);
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

/**
 * The mirror's "checked in today" list: each student once, with today's repetitions; it starts
 * empty on the next local day. Anonymous players are not listed.
 */
export class CheckinsToday {
  private day = '';
  private readonly entries = new Map<string, CheckinToday>();

  checkedIn(studentId: string, name: string, t: number): void {
    this.roll(t);
    if (!this.entries.has(studentId)) this.entries.set(studentId, { studentId, name, at: new Date(t).toISOString(), reps: 0 });
  }

  counted(studentId: string, t: number): void {
    this.roll(t);
    const entry = this.entries.get(studentId);
    if (entry) entry.reps++;
  }

  list(t: number): CheckinToday[] {
    this.roll(t);
    return [...this.entries.values()].map((e) => ({ ...e }));
  }

  private roll(t: number): void {
    const day = localDay(t);
    if (day === this.day) return;
    this.day = day;
    this.entries.clear();
  }
}
