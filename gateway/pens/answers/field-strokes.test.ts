import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Assignment } from '../../homework/assignments/types.js';
import { layoutAssignment } from '../../homework/layout/layout.js';
import { seeded } from '../../util/random.js';
import { fieldOf } from './field-strokes.js';
import { inRect, type InkStroke } from './ink.js';

const assignment = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'homework', 'assignments', 'examples', 'fractions-week3.json'), 'utf8')) as Assignment;
const layouts = layoutAssignment(assignment, { copy: 'personalised' });

describe('the field a stroke is in', () => {
  it('is the field holding most of its points, as counting every field would find', () => {
    const rand = seeded(11);
    let inSomeField = 0;
    for (let n = 0; n < 2000; n++) {
      const layout = layouts[n % layouts.length]!;
      // Strokes of every size anywhere on the page: inside fields, across two, in the margins.
      const near = layout.fields[Math.floor(rand() * layout.fields.length)]!.rect;
      let [x, y] = rand() < 0.3 ? [rand() * 210, rand() * 297] : [near.x + rand() * near.w, near.y + rand() * near.h];
      const step = rand() < 0.5 ? 0.3 : 3;
      const stroke: InkStroke = { points: Array.from({ length: 1 + Math.floor(rand() * 60) }, () => ({ x: (x += (rand() - 0.5) * step), y: (y += (rand() - 0.5) * step) })), startedAt: 0, endedAt: 1 };
      const counts = layout.fields.map((f) => stroke.points.filter((p) => inRect(p, f.rect, 3)).length);
      const most = Math.max(0, ...counts);
      const expected = most === 0 ? null : layout.fields[counts.indexOf(most)]!;
      expect(fieldOf(layout, stroke)).toBe(expected);
      if (expected) inSomeField++;
    }
    // The check means something only if many strokes do land in fields.
    expect(inSomeField).toBeGreaterThan(1000);
  });
});
