import type { PenScript } from '../../../drivers/pen-hub/pen-hub.js';
import type { Assignment, Roster } from '../../homework/assignments/types.js';
import type { PaperMap } from '../paper/paper-map.js';
import { demoClass } from './class-scripts.js';

/** The demo pens' Bluetooth addresses: one per roster place, stable across runs. */
export function demoPenMac(index: number): string {
  return `9C:7B:D2:5B:${(index >> 8).toString(16).padStart(2, '0')}:${(index & 0xff).toString(16).padStart(2, '0')}`.toUpperCase();
}

/**
 * What the simulated pen hub writes when there is no hardware: the class's students doing the
 * assignment on their personalised dot-pattern pages, `timeScale` times faster than a real
 * evening (the simulated hub's `speed`, 30 by default, so the web page shows a whole homework in a
 * couple of minutes). Pens beyond the roster stay silent.
 */
export function demoPenScripts(assignment: Assignment, roster: Roster, paperMap: PaperMap): (count: number, timeScale: number) => PenScript[] {
  return (count, timeScale) => {
    const students = roster.students.slice(0, count).map((s, i) => ({ studentId: s.id, mac: demoPenMac(i + 1) }));
    return demoClass({ assignment, paperMap, students, seed: 1, timeScale }).scripts;
  };
}
