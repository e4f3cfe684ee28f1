import { describe, expect, it } from 'vitest';
import { parseRosterCsv, RosterError } from './roster.js';

describe('roster CSV import', () => {
  it('reads the common exports: BOM, semicolons, CRLF, Chinese headers', () => {
    expect(parseRosterCsv('\uFEFFstudent_id;name;number\r\ns01;Li Wei;1\r\ns02;Wang Fang;2\r\n', '5b')).toEqual({
      classId: '5b',
      students: [
        { id: 's01', name: 'Li Wei', number: 1 },
        { id: 's02', name: 'Wang Fang', number: 2 },
      ],
    });
    expect(parseRosterCsv('学号,姓名\n2024001,张敏\n').students).toEqual([{ id: '2024001', name: '张敏' }]);
  });

  it('names the line of a duplicate or a bad id, and a header without the needed columns', () => {
    expect(() => parseRosterCsv('id,name\ns1,A\ns1,B\n')).toThrow('line 3: student id s1 appears twice');
    expect(() => parseRosterCsv('id,name\ns 1,A\n')).toThrow(/line 2: student id "s 1"/);
    expect(() => parseRosterCsv('who,what\n1,2\n')).toThrow(RosterError);
  });
});
