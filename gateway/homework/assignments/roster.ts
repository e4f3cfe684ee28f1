import { parse } from 'csv-parse/sync';
import type { Roster, Student } from './types.js';

export class RosterError extends Error {}

const ID_COLUMNS = ['student_id', 'student id', 'id', '学号'];
const NAME_COLUMNS = ['name', 'student name', '姓名'];
const NUMBER_COLUMNS = ['number', 'no', 'class number', '序号'];

/** A class list exported from the school's system: header row, comma or semicolon, UTF-8 with or without BOM. */
export function parseRosterCsv(text: string, classId?: string): Roster {
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows = parse(body, { delimiter, skip_empty_lines: true, trim: true, relax_column_count: true }) as string[][];
  const header = (rows.shift() ?? []).map((h) => h.toLowerCase());
  const col = (names: string[]) => header.findIndex((h) => names.includes(h));
  const [idCol, nameCol, numberCol] = [col(ID_COLUMNS), col(NAME_COLUMNS), col(NUMBER_COLUMNS)];
  if (idCol < 0 || nameCol < 0) throw new RosterError(`line 1: the header needs a student id column (${ID_COLUMNS.join(', ')}) and a name column (${NAME_COLUMNS.join(', ')}); found ${header.join(', ')}`);
  const seen = new Set<string>();
  const students: Student[] = rows.map((row, i) => {
    const line = i + 2;
    const id = row[idCol] ?? '';
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new RosterError(`line ${line}: student id ${JSON.stringify(id)} must be 1–64 letters, digits, _ or -`);
    if (seen.has(id)) throw new RosterError(`line ${line}: student id ${id} appears twice`);
    seen.add(id);
    const student: Student = { id, name: row[nameCol] ?? '' };
    const number = numberCol >= 0 ? row[numberCol] : undefined;
    if (number) {
      if (!/^\d{1,3}$/.test(number)) throw new RosterError(`line ${line}: class number ${JSON.stringify(number)} is not a whole number`);
      student.number = Number(number);
    }
    return student;
  });
  return { ...(classId ? { classId } : {}), students };
}
