import { describe, expect, it } from 'vitest';
import type { HubEvent } from '../../../drivers/pen-hub/pen-hub.js';
import { StrokeAssembler } from './stroke-assembler.js';
import type { Stroke } from './stroke.js';

const PAGE = { section: 3, owner: 27, note: 1, page: 5 };
const ref = (pen: string, receivedAt = 0) => ({ pen, mac: null, receivedAt });
const start = (pen: string, receivedAt = 0): HubEvent[] => [
  { ...ref(pen, receivedAt), type: 'down', ec: null, at: 1_000, tip: 'pen', color: 0 },
  { ...ref(pen, receivedAt), type: 'paper', ec: null, ...PAGE },
  { ...ref(pen, receivedAt), type: 'dot', ec: null, dtMs: 8, force: 1, x: 5, y: 5, tiltX: 0, tiltY: 0, twist: 0 },
];

describe('stroke assembler', () => {
  it('keeps each pen’s stream apart, and closes a stroke when its pen disconnects', () => {
    const strokes: Stroke[] = [];
    const a = new StrokeAssembler((s) => strokes.push(s));
    for (const e of [...start('p1'), ...start('p2')]) a.push(e);
    a.push({ ...ref('p2'), type: 'pen-disconnected', reason: 'link lost' });
    expect(strokes.map((s) => [s.pen, s.repairs])).toEqual([['p2', [{ kind: 'synthetic-up', because: 'disconnected' }]]]);
    expect(Object.keys(a.counters())).toEqual(['p1', 'p2']);
  });

  it('closes the strokes of pens that went silent, and leaves the others open', () => {
    const strokes: Stroke[] = [];
    const a = new StrokeAssembler((s) => strokes.push(s));
    for (const e of [...start('p1', 1_000), ...start('p2', 4_000)]) a.push(e);
    a.closeSilent(5_000, 2_000);
    expect(strokes.map((s) => s.pen)).toEqual(['p1']);
    expect(strokes[0]!.repairs).toEqual([{ kind: 'synthetic-up', because: 'silent' }]);
  });
});
