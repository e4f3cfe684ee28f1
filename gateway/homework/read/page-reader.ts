import sharp from 'sharp';
import type { Assignment } from '../assignments/types.js';
import { FIDUCIALS } from '../layout/geometry.js';
import { layoutAssignment, type Field, type PageLayout } from '../layout/layout.js';
import { decodePageId } from '../layout/page-id.js';
import { measureBubble, type Levels } from './bubbles.js';
import { bubbleFieldReading, markFieldReading, scoreFieldReading } from './field-decisions.js';
import { project } from './homography.js';
import { registerPage, type Registration } from './locate.js';
import { findQrCodes } from './qr-decoder.js';
import { forDisc, greyRegion, isBlankSide, type Raster } from './raster.js';
import { readScoreBoxes } from './score-boxes.js';
import { readTeacherMark } from './teacher-marks.js';
import type { FieldReading, PageReading } from './types.js';

export interface ReaderOptions {
  /** Refuse images larger than this many pixels before decoding them (decompression bombs). */
  maxPixels?: number;
  /** Readings below this confidence are flagged for the teacher. */
  reviewBelow?: number;
  /** Cut out every answer region (PNG), from the pixels already decoded. */
  crops?: boolean;
}

/** Assignments the reader knows, with their layouts computed once. */
export class AssignmentCatalogue {
  private readonly entries = new Map<string, { assignment: Assignment; personalised: PageLayout[]; generic: PageLayout[] }>();

  add(assignment: Assignment): void {
    this.entries.set(assignment.id, {
      assignment,
      personalised: layoutAssignment(assignment, { copy: 'personalised' }),
      generic: layoutAssignment(assignment, { copy: 'generic' }),
    });
  }

  get(id: string) {
    return this.entries.get(id);
  }
}

// 300 dpi A4 is ~8.7 MP; 60 MP leaves room for 600 dpi colour and stops bombs early.
const DEFAULT_MAX_PIXELS = 60_000_000;

function levelsOf(r: Raster, reg: Registration): Levels {
  const samples: number[] = [];
  for (let i = 0; i < r.rgb.length; i += 3 * 97) samples.push(r.rgb[i]!);
  samples.sort((a, b) => a - b);
  let black = 0;
  let n = 0;
  for (const f of FIDUCIALS) {
    forDisc(r, project(reg.toPixels, f), 2 * reg.pixelsPerMm, (red) => {
      black += red;
      n++;
    });
  }
  return { white: samples[Math.floor(samples.length * 0.75)] ?? 255, black: n ? black / n : 0 };
}

async function readField(r: Raster, reg: Registration, levels: Levels, field: Field, multiple: boolean, reviewBelow: number): Promise<FieldReading> {
  if (field.kind === 'mark-box') {
    const { mark, confidence } = readTeacherMark(r, reg, field.rect);
    return markFieldReading(field.questionId, mark, confidence, reviewBelow);
  }
  if (field.kind === 'digit-boxes') return scoreFieldReading(field.questionId, await readScoreBoxes(r, reg, field.boxes ?? []));
  const measures = (field.bubbles ?? []).map((b) => measureBubble(r, reg, b, levels));
  return bubbleFieldReading(field.questionId, measures, multiple, reviewBelow);
}

/**
 * The page's QR code, looked for in the corner where it is printed for each way the sheet may
 * have gone through the feeder (upright, upside down, either side first), then in the whole scan.
 */
async function findPageCode(r: Raster) {
  // The QR code and its quiet zone lie within 50 mm of the page's corner: a 65 mm square (31 % of
  // the short side of A4) leaves room for skew and a page that sits off-centre on the glass.
  const hw = Math.ceil(Math.min(r.width, r.height) * 0.31);
  const hh = hw;
  const regions = [
    [r.width - hw, 0],
    [0, r.height - hh],
    [r.width - hw, r.height - hh],
    [0, 0],
  ].map(([x, y]) => ({ x: x!, y: y!, w: hw, h: hh }));
  regions.push({ x: 0, y: 0, w: r.width, h: r.height });
  let codes: Awaited<ReturnType<typeof findQrCodes>> = [];
  for (const region of regions) {
    codes = await findQrCodes(greyRegion(r, region.x, region.y, region.w, region.h), region.w, region.h);
    const found = codes
      .map((c) => ({ id: decodePageId(c.text), corners: c.corners.map((p) => ({ x: p.x + region.x, y: p.y + region.y })) }))
      .find((c) => c.id !== null);
    if (found) return { codes, found };
  }
  return { codes, found: undefined };
}

/**
 * Reads one scanned page: which page it is (QR), where it lies (QR + fiducials), and every
 * field with a state and a confidence. Pages that are not ours come back `unrecognised`, broken
 * or oversized images `rejected`; neither throws.
 */
export async function readPage(image: Buffer, catalogue: AssignmentCatalogue, options: ReaderOptions = {}): Promise<PageReading> {
  const timings = { decodeMs: 0, locateMs: 0, fieldsMs: 0 };
  let t = performance.now();
  let raster: Raster;
  try {
    // keepIccProfile: the scan's embedded colour profile is not applied. The reader compares each
    // page with its own paper and ink levels, so exact colour buys nothing, and the transform
    // costs twice the JPEG decode itself.
    const { data, info } = await sharp(image, { limitInputPixels: options.maxPixels ?? DEFAULT_MAX_PIXELS, failOn: 'error' })
      .keepIccProfile()
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    raster = { rgb: info.channels === 3 ? data : await sharp(data, { raw: info }).toColourspace('srgb').raw().toBuffer(), width: info.width, height: info.height };
  } catch (err) {
    return { status: 'rejected', reason: `not a readable image: ${(err as Error).message}`, readings: [], timings };
  }
  timings.decodeMs = performance.now() - t;
  t = performance.now();
  const { codes, found } = await findPageCode(raster);
  if (!found && codes.length === 0 && isBlankSide(raster)) return { status: 'blank', reason: 'a blank side: nothing printed or written on it', readings: [], timings };
  if (!found?.id) return { status: 'unrecognised', reason: codes.length ? 'a QR code, but not a page id of ours' : 'no page QR code found', readings: [], timings };
  const id = found.id;
  const entry = catalogue.get(id.assignmentId);
  if (!entry) return { status: 'unrecognised', reason: `unknown assignment "${id.assignmentId}"`, assignmentId: id.assignmentId, page: id.page, studentId: id.studentId, readings: [], timings };
  const layout = (id.studentId === null ? entry.generic : entry.personalised)[id.page - 1];
  if (!layout || layout.layoutHash !== id.layoutHash) {
    return { status: 'unrecognised', reason: `page ${id.page} was printed from another version of "${id.assignmentId}"`, assignmentId: id.assignmentId, page: id.page, studentId: id.studentId, readings: [], timings };
  }
  const reg = registerPage(raster, found.corners);
  const levels = levelsOf(raster, reg);
  timings.locateMs = performance.now() - t;
  t = performance.now();
  const types = new Map(entry.assignment.pages.flatMap((p) => p.questions).map((q) => [q.id, q.type]));
  const reviewBelow = options.reviewBelow ?? 0.35;
  const readings: FieldReading[] = [];
  for (const f of layout.fields) if (f.kind !== 'answer-area') readings.push(await readField(raster, reg, levels, f, types.get(f.questionId) === 'multiple', reviewBelow));
  timings.fieldsMs = performance.now() - t;
  const crops = options.crops ? await cropFields(raster, reg, layout.fields) : undefined;
  const idGrid = readings.find((r) => r.questionId === 'student-id');
  const studentId = id.studentId ?? (idGrid?.state === 'marked' && typeof idGrid.value === 'string' ? idGrid.value : null);
  return {
    status: 'read',
    assignmentId: id.assignmentId,
    page: id.page,
    studentId,
    readings,
    rotationDegrees: reg.rotationDegrees,
    ...(Number.isFinite(reg.errorMm) ? { registrationErrorMm: reg.errorMm } : {}),
    timings,
    ...(crops ? { crops } : {}),
  };
}

async function cropFields(r: Raster, reg: Registration, fields: Field[]): Promise<{ questionId: string; png: Buffer }[]> {
  const margin = 2; // mm around the region, so a mark that strays over the edge is kept
  return Promise.all(
    fields.map(async (f) => {
      const corners = [
        { x: f.rect.x - margin, y: f.rect.y - margin },
        { x: f.rect.x + f.rect.w + margin, y: f.rect.y - margin },
        { x: f.rect.x + f.rect.w + margin, y: f.rect.y + f.rect.h + margin },
        { x: f.rect.x - margin, y: f.rect.y + f.rect.h + margin },
      ].map((p) => project(reg.toPixels, p));
      const left = Math.max(0, Math.floor(Math.min(...corners.map((p) => p.x))));
      const top = Math.max(0, Math.floor(Math.min(...corners.map((p) => p.y))));
      const width = Math.min(r.width, Math.ceil(Math.max(...corners.map((p) => p.x)))) - left;
      const height = Math.min(r.height, Math.ceil(Math.max(...corners.map((p) => p.y)))) - top;
      const png = await sharp(r.rgb, { raw: { width: r.width, height: r.height, channels: 3 } }).extract({ left, top, width: Math.max(1, width), height: Math.max(1, height) }).png().toBuffer();
      return { questionId: f.questionId, png };
    }),
  );
}
