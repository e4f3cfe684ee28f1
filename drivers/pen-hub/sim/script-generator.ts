import { between, seeded } from '../../../gateway/util/random.js';
import type { PaperAddress, PenScript, ScriptedStroke } from '../pen-hub.js';

/** A page of an A4 workbook is about 88 × 125 Ncode units; answers are written inside a margin. */
const PAGE = { left: 8, top: 10, width: 70, height: 105 };
const LINE_HEIGHT = 7;

/** A deterministic pen address per seed and index, in NeoLAB's OUI 9C:7B:D2. */
export function simulatedMac(seed: number, index: number): string {
  const n = ((seed & 0xff) << 16) | (index & 0xffff);
  return ['9C', '7B', 'D2', (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff].map((v) => (typeof v === 'string' ? v : v.toString(16).padStart(2, '0').toUpperCase())).join(':');
}

/** One handwriting-like stroke: a wobbly run along the current line, like a word or a number. */
function stroke(rand: () => number, address: PaperAddress, x: number, y: number): ScriptedStroke {
  const length = between(rand, 2, 9);
  const count = Math.max(2, Math.round(length * 3));
  const points = Array.from({ length: count }, (_, i) => ({
    x: Math.round((x + (length * i) / (count - 1)) * 100) / 100,
    y: Math.round((y + Math.sin(i * between(rand, 0.8, 1.6)) * between(rand, 0.5, 1.8)) * 100) / 100,
  }));
  return { address, points, durationMs: Math.round(length * between(rand, 60, 140)), pauseBeforeMs: Math.round(between(rand, 80, rand() < 0.1 ? 3000 : 600)) };
}

/** Random but plausible writing: each pen fills lines of a few workbook pages, left to right. */
export function randomScripts(count: number, seed = 1, strokesPerPen = 120): PenScript[] {
  const rand = seeded(seed);
  return Array.from({ length: count }, (_, index) => {
    const note = 600 + Math.floor(rand() * 3);
    let address: PaperAddress = { section: 3, owner: 27, note, page: 1 + Math.floor(rand() * 4) };
    let x = PAGE.left;
    let y = PAGE.top;
    const strokes: ScriptedStroke[] = [];
    while (strokes.length < strokesPerPen) {
      const s = stroke(rand, address, x, y);
      strokes.push(s);
      x = s.points[s.points.length - 1]!.x + between(rand, 0.5, 3);
      if (x > PAGE.left + PAGE.width) [x, y] = [PAGE.left, y + LINE_HEIGHT];
      if (y > PAGE.top + PAGE.height) {
        [x, y] = [PAGE.left, PAGE.top];
        address = { ...address, page: address.page + 1 };
      }
    }
    return { mac: simulatedMac(seed, index), strokes };
  });
}
