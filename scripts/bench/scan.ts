/**
 * npm run bench:scan — accuracy and speed of reading our own printed pages, on synthetic scans
 * with ground truth (gateway/homework/synth). One JSON object on the last line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Assignment } from '../../gateway/homework/assignments/types.js';
import { layoutAssignment } from '../../gateway/homework/layout/layout.js';
import { ClassReport } from '../../gateway/homework/grading/class-report.js';
import { gradePage, type PageGrade } from '../../gateway/homework/grading/grade-page.js';
import { AssignmentCatalogue, readPage } from '../../gateway/homework/read/page-reader.js';
import { seeded } from '../../gateway/util/random.js';
import { CLEAN_200, degradedStyle, synthesizeScan, type ScanStyle } from '../../gateway/homework/synth/synthesize.js';
import { percentile } from '../../gateway/util/percentile.js';
import { projectRoot } from '../../gateway/util/project-root.js';

sharp.concurrency(1); // "pages/s on one core"
const assignment = JSON.parse(readFileSync(join(projectRoot(), 'gateway/homework/assignments/examples/fractions-week3.json'), 'utf8')) as Assignment;
const catalogue = new AssignmentCatalogue();
catalogue.add(assignment);
const layouts = layoutAssignment(assignment, { copy: 'personalised' });
const PAGES = Number(process.env.BENCH_SCAN_PAGES ?? 90);

interface Tally {
  pages: number;
  identified: number;
  fields: number;
  correct: number;
  flagged: number;
  confidentWrong: number;
}

async function accuracy(name: string, style: (rand: () => number, i: number) => ScanStyle): Promise<Tally> {
  const t: Tally = { pages: 0, identified: 0, fields: 0, correct: 0, flagged: 0, confidentWrong: 0 };
  for (let i = 0; i < PAGES; i++) {
    const rand = seeded(1000 + i);
    const { image, truth } = await synthesizeScan(assignment, layouts[i % 2]!, { title: assignment.title, subject: assignment.subject, studentId: `s${i}` }, style(rand, i), rand);
    const reading = await readPage(image, catalogue);
    t.pages++;
    if (reading.status === 'read' && reading.studentId === `s${i}` && reading.page === (i % 2) + 1) t.identified++;
    const handwritten = new Set(layouts[i % 2]!.fields.filter((f) => f.kind === 'digit-boxes').map((f) => f.questionId));
    // Bubbles, digit grids and teacher marks here; handwritten digits are measured on their own below.
    for (const truthField of truth.filter((f) => !handwritten.has(f.questionId))) {
      const got = reading.readings.find((r) => r.questionId === truthField.questionId);
      t.fields++;
      const right = got && got.state === truthField.state && (truthField.state === 'faint' || JSON.stringify(got.value) === JSON.stringify(truthField.value));
      if (right) t.correct++;
      if (got?.needsReview) t.flagged++;
      if (!right && got && !got.needsReview) t.confidentWrong++;
    }
  }
  console.log(`${name}: ${t.pages} pages, identified ${t.identified}, fields ${t.correct}/${t.fields} right, ${t.flagged} flagged for the teacher, ${t.confidentWrong} confidently wrong`);
  return t;
}

/** A page with four handwritten score boxes (and two bubble questions), as the target names it. */
const scorePage: Assignment = {
  id: 'bench-scores',
  title: 'Scores',
  subject: 'Bench',
  grade: 5,
  pages: [
    {
      questions: [
        ...[1, 2, 3, 4].map((n) => ({ id: `s${n}`, label: `${n}`, type: 'score-box' as const, digits: 2, points: 10 + n * 20 })),
        { id: 'b1', label: '5', type: 'single' as const, answer: 'A' },
        { id: 'b2', label: '6', type: 'single' as const, answer: 'B' },
      ],
    },
  ],
};
catalogue.add(scorePage);
const [scoreLayout] = layoutAssignment(scorePage);

async function handwriting(): Promise<{ p50: number; right: number; flagged: number; confidentWrong: number; fields: number }> {
  const times: number[] = [];
  let [right, flagged, confidentWrong, fields] = [0, 0, 0, 0];
  for (let i = 0; i < 30; i++) {
    const rand = seeded(9000 + i);
    const { image, truth } = await synthesizeScan(scorePage, scoreLayout!, { title: 'x', subject: 'y', studentId: `s${i}` }, { ...CLEAN_200, jpegQuality: 85 }, rand);
    const t = performance.now();
    const reading = await readPage(image, catalogue);
    times.push(performance.now() - t);
    for (const tr of truth.filter((x) => x.questionId.startsWith('s'))) {
      const got = reading.readings.find((r) => r.questionId === tr.questionId);
      fields++;
      const ok = got?.state === tr.state && got.value === tr.value;
      if (ok) right++;
      if (got?.needsReview) flagged++;
      if (!ok && got && !got.needsReview) confidentWrong++;
    }
  }
  return { p50: percentile(times.slice(3), 50), right, flagged, confidentWrong, fields };
}

async function speed(): Promise<{ p50: number; p95: number; decodeOnly: number; pagesPerSecond: number }> {
  const images: Buffer[] = [];
  for (let i = 0; i < 20; i++) images.push((await synthesizeScan(assignment, layouts[0]!, { title: 'x', subject: 'y', studentId: `s${i}` }, { ...CLEAN_200, jpegQuality: 85 }, seeded(i))).image);
  for (const image of images.slice(0, 3)) await readPage(image, catalogue); // warm up
  const times: number[] = [];
  const decode: number[] = [];
  for (const image of images) {
    let t = performance.now();
    // The floor is the JPEG decode itself: no colour-profile transform, which the reader skips too.
    await sharp(image).keepIccProfile().raw().toBuffer();
    decode.push(performance.now() - t);
    t = performance.now();
    await readPage(image, catalogue);
    times.push(performance.now() - t);
  }
  const total = times.reduce((a, b) => a + b, 0);
  return { p50: percentile(times, 50), p95: percentile(times, 95), decodeOnly: percentile(decode, 50), pagesPerSecond: (1000 * times.length) / total };
}

/** 45 students × 2 pages through reader and grader; then the time from the last page to the report. */
async function classReportLatency(): Promise<number> {
  const report = new ClassReport(assignment);
  const roster = { classId: '5b', students: Array.from({ length: 45 }, (_, i) => ({ id: `s${i}`, name: `Student ${i}` })) };
  const grades: PageGrade[] = [];
  for (let i = 0; i < 90; i++) {
    const rand = seeded(5000 + i);
    const { image } = await synthesizeScan(assignment, layouts[i % 2]!, { title: 'x', subject: 'y', studentId: `s${Math.floor(i / 2)}` }, CLEAN_200, rand);
    grades.push(gradePage(assignment, await readPage(image, catalogue)));
  }
  for (const g of grades.slice(0, -1)) report.add(g);
  const started = performance.now();
  report.add(grades.at(-1)!);
  const snapshot = report.snapshot(roster);
  const ms = performance.now() - started;
  if (snapshot.handedIn.length !== 45) throw new Error(`expected 45 handed in, got ${snapshot.handedIn.length}`);
  return ms;
}

const clean = await accuracy('clean 200 dpi', () => CLEAN_200);
const degraded = await accuracy('degraded 150/200/300 dpi', (rand, i) => degradedStyle(rand, [150, 200, 300][i % 3]!));
const s = await speed();
const reportMs = await classReportLatency();
const hw = await handwriting();
console.log(`handwritten score boxes: ${hw.right}/${hw.fields} read right, ${hw.flagged} flagged for the teacher, ${hw.confidentWrong} confidently wrong; page with 4 of them p50 ${hw.p50.toFixed(1)} ms`);
console.log(`class report for 45 students × 2 pages: ${reportMs.toFixed(2)} ms after the last page`);
console.log(`speed: bubble page at 200 dpi p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms; JPEG decode alone ${s.decodeOnly.toFixed(1)} ms; ${s.pagesPerSecond.toFixed(1)} pages/s on one core`);
const rate = (n: number, d: number) => Number(((100 * n) / d).toFixed(3));
console.log(
  JSON.stringify({
    pageIdentificationPercent: rate(clean.identified + degraded.identified, clean.pages + degraded.pages),
    fieldAccuracyCleanPercent: rate(clean.correct, clean.fields),
    fieldAccuracyDegradedPercent: rate(degraded.correct, degraded.fields),
    confidentWrongPercent: rate(clean.confidentWrong + degraded.confidentWrong, clean.fields + degraded.fields),
    flaggedForTeacherPercent: rate(clean.flagged + degraded.flagged, clean.fields + degraded.fields),
    bubblePageMsP50: Number(s.p50.toFixed(1)),
    bubblePageMsP95: Number(s.p95.toFixed(1)),
    decodeOnlyMs: Number(s.decodeOnly.toFixed(1)),
    pagesPerSecondOneCore: Number(s.pagesPerSecond.toFixed(1)),
    handwritingPageMsP50: Number(hw.p50.toFixed(1)),
    handwrittenDigitsRightPercent: rate(hw.right, hw.fields),
    handwrittenDigitsFlaggedPercent: rate(hw.flagged, hw.fields),
    handwrittenDigitsConfidentWrong: hw.confidentWrong,
    classReportMsAfterLastPage: Number(reportMs.toFixed(2)),
    rssMB: Math.round(process.memoryUsage().rss / 1048576),
    pages: clean.pages + degraded.pages,
  }),
);
