import { CsvError, parse } from 'csv-parse/sync';
import { STUDENT_ID } from './ids.js';
import type { Roster, Student } from './types.js';

export class RosterError extends Error {}

// Header names as school systems export them (English or Chinese), compared lower-case.
const ID_COLUMNS = ['student_id', 'student id', 'id', '学号'];
const NAME_COLUMNS = ['name', 'student name', '姓名'];
const NUMBER_COLUMNS = ['number', 'no', 'class number', '序号'];

/**
 * The delimiter the header line uses most: `;` from spreadsheets in locales with decimal commas,
 * tabs from "text" exports. Decided here rather than by csv-parse's delimiter_auto, which fails
 * on a quoted name holding the other delimiter ("Li, Wei" in a semicolon file).
 */
function delimiterOf(text: string): string {
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const counts = [',', ';', '\t'].map((d) => [d, header.split(d).length] as const);
  return counts.reduce((best, c) => (c[1] > best[1] ? c : best))[0];
}

function parseRows(text: string): { line: number; cells: string[] }[] {
  try {
    // csv-parse's typings do not follow `info: true` to the record shape it then returns.
    const records = parse(text, { bom: true, delimiter: delimiterOf(text), skip_empty_lines: true, trim: true, relax_column_count: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
    // info.lines is where a record ends; a quoted name may span lines, so count back to its start.
    return records.map(({ record, info }) => ({ line: info.lines - record.join('').split('\n').length + 1, cells: record }));
  } catch (err) {
    if (err instanceof CsvError) throw new RosterError(`line ${err.lines}: ${err.message}`);
    throw err;
  }
}

/**
 * A class list exported from the school's system: a header row naming a student id and a name
 * column (class number optional), comma, semicolon or tab separated, UTF-8 with or without BOM,
 * any line endings. Each problem names its line in the file.
 */
export function parseRosterCsv(text: string, classId?: string): Roster {
  const [head, ...rows] = parseRows(text);
  const header = (head?.cells ?? []).map((h) => h.toLowerCase());
  const col = (names: string[]) => header.findIndex((h) => names.includes(h));
  const [idCol, nameCol, numberCol] = [col(ID_COLUMNS), col(NAME_COLUMNS), col(NUMBER_COLUMNS)];
  if (idCol < 0 || nameCol < 0) {
    throw new RosterError(`line 1: the header needs a student id column (${ID_COLUMNS.join(', ')}) and a name column (${NAME_COLUMNS.join(', ')}); found ${header.join(', ') || 'nothing'}`);
  }
  const ids = new Map<string, number>();
  const numbers = new Map<number, number>();
  const students = rows.map(({ line, cells }): Student => {
    const id = cells[idCol] ?? '';
    const name = cells[nameCol] ?? '';
    if (!id) throw new RosterError(`line ${line}: the student id is missing`);
    if (!STUDENT_ID.test(id)) throw new RosterError(`line ${line}: student id ${JSON.stringify(id)} must be 1–64 letters, digits, _ or -`);
    if (ids.has(id)) throw new RosterError(`line ${line}: student id ${id} appears twice (first on line ${ids.get(id)})`);
    ids.set(id, line);
    if (!name) throw new RosterError(`line ${line}: student ${id} has no name`);
    const student: Student = { id, name };
    const number = numberCol >= 0 ? cells[numberCol] : undefined;
    if (number) {
      if (!/^\d{1,3}$/.test(number)) throw new RosterError(`line ${line}: class number ${JSON.stringify(number)} is not a whole number up to 999`);
      student.number = Number(number);
      // The number is printed on the page and is what a student fills in on a generic copy.
      if (numbers.has(student.number)) throw new RosterError(`line ${line}: class number ${number} appears twice (first on line ${numbers.get(student.number)})`);
      numbers.set(student.number, line);
    }
    return student;
  });
  return { ...(classId ? { classId } : {}), students };
}
