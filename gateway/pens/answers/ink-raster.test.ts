import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { Assignment } from '../../homework/assignments/types.js';
import type { Point, Rect } from '../../homework/layout/geometry.js';
import { layoutAssignment, type Field } from '../../homework/layout/layout.js';
import { seeded } from '../../util/random.js';
import { cross, fillBubble, tick, writeDigits, writeLines, type PenPath } from '../demo/pen-writing.js';
import type { InkStroke } from './ink.js';
import { rasteriseInk, type GreyImage } from './ink-raster.js';

const assignment = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'homework', 'assignments', 'examples', 'fractions-week3.json'), 'utf8')) as Assignment;
const [page1, page2] = layoutAssignment(assignment, { copy: 'personalised' });
const field = (id: string): Field => [...page1!.fields, ...page2!.fields].find((f) => f.questionId === id)!;
const strokes = (paths: PenPath[]): InkStroke[] => paths.map((points) => ({ points, startedAt: 0, endedAt: 0 }));
const around = (r: Rect, marginMm: number): Rect => ({ x: r.x - marginMm, y: r.y - marginMm, w: r.w + 2 * marginMm, h: r.h + 2 * marginMm });

/** The picture librsvg draws (the renderer this one replaced): the reference. `shiftPx` and the width let a test spoil it. */
async function librsvgInk(ink: InkStroke[], region: Rect, pxPerMm: number, penWidthMm = 0.6, shiftPx = 0): Promise<GreyImage> {
  const width = Math.max(1, Math.round(region.w * pxPerMm));
  const height = Math.max(1, Math.round(region.h * pxPerMm));
  const at = (p: Point) => `${p.x} ${p.y}`;
  const paths = ink.map(({ points: [first, ...rest] }) => `<path d="M${at(first!)}${(rest.length ? rest : [first!]).map((p) => ` L${at(p)}`).join('')}"/>`).join('');
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fff"/>` +
    `<g transform="translate(${shiftPx} 0) scale(${pxPerMm}) translate(${-region.x} ${-region.y})" fill="none" stroke="#000" stroke-width="${penWidthMm}" stroke-linecap="round" stroke-linejoin="round">${paths}</g></svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return { grey: data, width: info.width, height: info.height };
}

const inkPixels = (g: GreyImage) => g.grey.filter((v) => v < 128).length;

/** Mean |difference| over the pixels that are not the same plain paper or solid ink in both: the edges, where renderers differ. */
function edgeDifference(a: GreyImage, b: GreyImage): number {
  let sum = 0;
  let pixels = 0;
  a.grey.forEach((v, i) => {
    const w = b.grey[i]!;
    if (v === w && (v === 0 || v === 255)) return;
    sum += Math.abs(v - w);
    pixels++;
  });
  return pixels ? sum / pixels : 0;
}

// Measured against librsvg: ink counts within 0.2 %, edge difference 6–9 grey levels (cairo takes exact
// pixel areas, this the centre's distance; overlapping strokes composite darker there). Half a pixel
// too wide, too thin or too far moves the edge difference to 44–74 and the ink of lines by 5–11 %.
const INK_SHARE_WITHIN = 0.02;
const EDGE_DIFFERENCE_BELOW = 15;

function scoreBoxesRegion(boxes: Rect[]): Rect {
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.min(...boxes.map((b) => b.y));
  return { x, y, w: Math.max(...boxes.map((b) => b.x + b.w)) - x, h: Math.max(...boxes.map((b) => b.y + b.h)) - y };
}

/** What pens write on the example assignment, at the resolutions the readers render it. */
const writing: [string, InkStroke[], Rect, number][] = [1, 2].flatMap((seed) => [
  [`answer lines ${seed}`, strokes(writeLines(field('q14').rect, 3, seeded(seed))), around(field('q14').rect, 2), 8],
  [`score digits ${seed}`, strokes(writeDigits(field('q13').boxes!.slice(0, 2), ['10', '47'][seed - 1]!, seeded(seed))), scoreBoxesRegion(field('q13').boxes!), 12],
  [`tick ${seed}`, strokes(tick(field('q11').rect, seeded(seed))), around(field('q11').rect, 1), 12],
  [`cross ${seed}`, strokes(cross(field('q12').rect, seeded(seed))), around(field('q12').rect, 1), 12],
  [`filled bubble ${seed}`, strokes([fillBubble(field('q1').bubbles![seed]!, seeded(seed))]), around(field('q1').rect, 0), 12],
]);

describe('ink rasteriser', () => {
  it.each(writing)('draws %s as librsvg does', async (_, ink, region, pxPerMm) => {
    const drawn = rasteriseInk(ink, region, pxPerMm);
    const reference = await librsvgInk(ink, region, pxPerMm);
    expect([drawn.width, drawn.height]).toEqual([reference.width, reference.height]);
    expect(Math.abs(inkPixels(drawn) / inkPixels(reference) - 1)).toBeLessThan(INK_SHARE_WITHIN);
    expect(edgeDifference(drawn, reference)).toBeLessThan(EDGE_DIFFERENCE_BELOW);
  });

  it('the comparison sees a line half a pixel too wide, too thin or out of place', async () => {
    const [, ink, region, pxPerMm] = writing[1]!;
    const drawn = rasteriseInk(ink, region, pxPerMm);
    for (const [width, shift] of [[0.6 + 0.5 / pxPerMm, 0], [0.6 - 0.5 / pxPerMm, 0], [0.6, 0.5]]) {
      expect(edgeDifference(drawn, await librsvgInk(ink, region, pxPerMm, width, shift))).toBeGreaterThan(2 * EDGE_DIFFERENCE_BELOW);
    }
  });

  it('leaves a round dot for a one-dot stroke', async () => {
    const region = { x: 10, y: 20, w: 2, h: 2 };
    const ink = strokes([[{ x: 11, y: 21 }]]);
    const drawn = rasteriseInk(ink, region, 12);
    const radiusPx = 0.3 * 12;
    expect(inkPixels(drawn)).toBeGreaterThan(0.85 * Math.PI * radiusPx ** 2);
    expect(inkPixels(drawn)).toBeLessThan(1.15 * Math.PI * radiusPx ** 2);
    // The dot's middle is ink, and it is as wide as it is tall.
    expect([drawn.grey[12 * 24 + 12], drawn.grey[11 * 24 + 11]]).toEqual([0, 0]);
    const row = drawn.grey.slice(12 * 24, 13 * 24).filter((v) => v < 128).length;
    const column = drawn.grey.filter((v, i) => i % 24 === 12 && v < 128).length;
    expect(row).toBe(column);
    expect(edgeDifference(drawn, await librsvgInk(ink, region, 12))).toBeLessThan(EDGE_DIFFERENCE_BELOW);
  });

  it('clips strokes that leave the region, and draws nothing for strokes wholly outside it', async () => {
    const region = { x: 50, y: 50, w: 10, h: 5 };
    const ink = strokes([
      [{ x: 0, y: 0 }, { x: 55, y: 52.5 }, { x: 200, y: 52.5 }],
      [{ x: 55, y: -30 }, { x: 56, y: 300 }],
      [{ x: -5, y: -5 }, { x: 20, y: 20 }],
    ]);
    const drawn = rasteriseInk(ink, region, 8);
    const reference = await librsvgInk(ink, region, 8);
    expect([drawn.width, drawn.height]).toEqual([80, 40]);
    expect(Math.abs(inkPixels(drawn) / inkPixels(reference) - 1)).toBeLessThan(INK_SHARE_WITHIN);
    expect(edgeDifference(drawn, reference)).toBeLessThan(EDGE_DIFFERENCE_BELOW);
    expect(inkPixels(rasteriseInk(ink.slice(2), region, 8))).toBe(0);
  });

  it('is blank paper for no strokes, at the size the region asks for', () => {
    const drawn = rasteriseInk([], { x: 3, y: 4, w: 10.06, h: 0.01 }, 8);
    expect([drawn.width, drawn.height]).toEqual([80, 1]);
    expect(drawn.grey.every((v) => v === 255)).toBe(true);
    expect(rasteriseInk([{ points: [], startedAt: 0, endedAt: 0 }], { x: 0, y: 0, w: 1, h: 1 }, 8).grey.every((v) => v === 255)).toBe(true);
  });
});
