import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { scannerDriver } from '../../drivers/scanner/index.js';
import type { SimulatedPage } from '../../drivers/scanner/simulated-scanner.js';
import type { ClassReportMessage, ScanPage } from '../contract/types.generated.js';
import { DeviceRegistry } from '../devices/registry.js';
import { silentLogger } from '../log/logger.js';
import { captureLogger } from '../uplink/outbox/test-support/helpers.js';
import { PipelineCounters } from '../telemetry/counters.js';
import { publishingHarness } from '../test-support/publishing-harness.js';
import { seeded } from '../util/random.js';
import type { Assignment } from './assignments/types.js';
import { gradePage } from './grading/grade-page.js';
import { layoutAssignment } from './layout/layout.js';
import { importOmrChecker } from './omr/omrchecker.js';
import { HomeworkScanning } from './scanning.js';
import { CLEAN_200, synthesizeScan } from './synth/synthesize.js';

const BASE = 'classroom/s/c/g';
const logger = silentLogger();
const example = JSON.parse(readFileSync(join(import.meta.dirname, 'assignments', 'examples', 'fractions-week3.json'), 'utf8')) as Assignment;
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const omrSheet = importOmrChecker('quiz-omr', {
  pageDimensions: [600, 800],
  bubbleDimensions: [30, 30],
  customLabels: { Roll: ['roll1..2'] },
  fieldBlocks: {
    MCQ: { fieldType: 'QTYPE_MCQ4', origin: [100, 200], bubblesGap: 50, labelsGap: 50, fieldLabels: ['q1..3'] },
    Roll: { fieldType: 'QTYPE_INT', origin: [400, 200], bubblesGap: 45, labelsGap: 50, fieldLabels: ['roll1..2'] },
  },
}, { options: { questions_in_order: ['q1..3'], answers_in_order: ['A', 'B', 'C'] } });

async function omrImage(): Promise<Buffer> {
  const marks: Record<string, string> = { q1: 'A', q2: 'D', q3: 'C', roll1: '3', roll2: '1' };
  const circles = omrSheet.fields.flatMap((f) => f.bubbles.map((b) => `<circle cx="${b.cx}" cy="${b.cy}" r="${b.r}" fill="${marks[f.label] === b.value ? '#222' : 'none'}" stroke="#000" stroke-width="2"/>`));
  return sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="600" height="800"><rect width="100%" height="100%" fill="#fff"/>${circles.join('')}</svg>`)).jpeg().toBuffer();
}

describe('homework scanning pipeline (scanner → reader → grader → outbox)', () => {
  it('grades our pages and an OMRChecker sheet, keeps the scans, and publishes contract-valid results', async () => {
    const { dataDir, publisher, seen, close } = await publishingHarness(BASE, 'scanning-');
    closers.push(close);

    const [page1] = layoutAssignment(example);
    const ours = await synthesizeScan(example, page1!, { title: 't', subject: 's', studentId: 's01' }, CLEAN_200, seeded(4));
    const pages: SimulatedPage[] = [
      { image: ours.image, format: 'jpeg', dpi: 200 },
      { image: await omrImage(), format: 'jpeg', dpi: 100 },
      { image: Buffer.from('this is not an image'), format: 'png', dpi: null },
    ];
    const devices = new DeviceRegistry({ logger });
    devices.registerDriver('scanner', scannerDriver({ pageSource: async function* () { yield* pages; } }));
    devices.load([{ id: 'scanner-1', kind: 'scanner', transport: 'simulated', options: { pageDelayMs: 1 } }]);
    await devices.startAll();
    closers.push(async () => void (await devices.stopAll()));
    const counters = new PipelineCounters();
    // Crops leave the box only when the setting says so: on for this run, checked below.
    const uploadCrops = true;
    const scanning = new HomeworkScanning({ dataDir, assignments: [example], omrSheets: [omrSheet], rosters: new Map(), devices, publisher, counters, retentionDays: () => 30, uploadCrops: () => uploadCrops, logger });
    await scanning.start();

    // Duplex, as a teacher may leave the feeder set: every sheet's back comes out blank.
    await devices.runAction('scanner-1', 'scan', { duplex: true });
    await scanning.stop();
    await new Promise((r) => setTimeout(r, 100));

    const results = seen.filter((m) => m.topic === `${BASE}/scan/page`).map((m) => JSON.parse(m.payload.toString()).data as ScanPage);
    expect(results.map((r) => [r.status, r.assignmentId, r.studentId])).toEqual([
      ['graded', 'fractions-week3', 's01'],
      ['blank', undefined, undefined],
      ['graded', 'quiz-omr', '31'],
      ['blank', undefined, undefined],
      ['rejected', undefined, undefined],
      ['blank', undefined, undefined],
    ]);
    expect(results[2]).toMatchObject({ score: 2, maxScore: 3 });
    expect(results[0]!.crops?.map((c) => c.questionId)).toContain('q1');
    expect((await sharp(Buffer.from(results[0]!.crops![0]!.png, 'base64')).metadata()).format).toBe('png');
    for (const r of results) expect(existsSync(join(dataDir, r.image!))).toBe(true);
    const reports = seen.filter((m) => m.topic.startsWith(`${BASE}/scan/report/`)).map((m) => m.topic.split('/').at(-1));
    expect(reports.sort()).toEqual(['fractions-week3', 'quiz-omr']);
    expect(counters.snapshot().scan).toMatchObject({ pagesGraded: 2, pagesBlank: 3, pagesRejected: 1, pagesUnrecognised: 0 });
  });

  it('keeps the class report across a restart, counts smart-pen pages in it, and sets a damaged student file aside', async () => {
    const first = await publishingHarness(BASE, 'scanning-');
    closers.push(first.close);
    const [page1] = layoutAssignment(example);
    const scan = await synthesizeScan(example, page1!, { title: 't', subject: 's', studentId: 's01' }, CLEAN_200, seeded(5));
    const devices = new DeviceRegistry({ logger });
    devices.registerDriver('scanner', scannerDriver({ pageSource: async function* () { yield { image: scan.image, format: 'jpeg' as const, dpi: 200 }; } }));
    devices.load([{ id: 'scanner-1', kind: 'scanner', transport: 'simulated', options: { pageDelayMs: 1 } }]);
    await devices.startAll();
    closers.push(async () => void (await devices.stopAll()));
    const options = { assignments: [example], omrSheets: [], rosters: new Map(), counters: new PipelineCounters(), retentionDays: () => 30, uploadCrops: () => false, penReportEveryMs: 50 };
    const before = new HomeworkScanning({ ...options, dataDir: first.dataDir, devices, publisher: first.publisher, logger });
    await before.start();
    await devices.runAction('scanner-1', 'scan', {});
    await before.stop();

    // Restarted: nothing scanned since, one page written with a smart pen by s02.
    const second = await publishingHarness(BASE, 'scanning-');
    closers.push(second.close);
    const after = new HomeworkScanning({ ...options, dataDir: first.dataDir, devices: new DeviceRegistry({ logger }), publisher: second.publisher, logger });
    await after.start();
    after.addPenPage(gradePage(example, { status: 'read', assignmentId: example.id, page: 1, studentId: 's02', readings: [], timings: { decodeMs: 0, locateMs: 0, fieldsMs: 0 } }));
    const reports = () => second.seen.filter((m) => m.topic === `${BASE}/scan/report/${example.id}`).map((m) => JSON.parse(m.payload.toString()).data as ClassReportMessage);
    for (let waited = 0; reports().length === 0; waited += 20) {
      if (waited > 5_000) throw new Error('no class report after the pen page');
      await new Promise((r) => setTimeout(r, 20));
    }
    const report = reports()[0]!;
    expect(report.students.map((s) => [s.studentId, s.rescanned])).toEqual([['s01', false], ['s02', false]]);
    expect(report.pagesRead).toBe(2);
    await after.stop();

    // A student's saved report that is not one: the gateway says so, sets it aside and keeps the others.
    const studentsDir = join(first.dataDir, 'reports', example.id, 'students');
    expect((await readdir(studentsDir)).sort()).toEqual(['s01.json', 's02.json']);
    await writeFile(join(studentsDir, 's01.json'), '{"assignmentId": "fractions-week3", "pages": [{"assignmentId": "other"');
    const log = captureLogger();
    const third = new HomeworkScanning({ ...options, dataDir: first.dataDir, devices: new DeviceRegistry({ logger }), publisher: second.publisher, logger: log.logger });
    await third.start();
    await third.stop();
    expect(log.lines.find((l) => l.level === 50)?.msg).toMatch(/saved class report could not be read/);
    expect((await readdir(studentsDir)).some((f) => f.startsWith('s01.json.damaged-'))).toBe(true);
    expect(third.summaries()).toMatchObject([{ assignmentId: example.id, pagesRead: 1, students: ['s02'] }]);
  });

  it('takes over the whole-class report file an earlier release kept, one file per student from then on', async () => {
    const harness = await publishingHarness(BASE, 'scanning-');
    closers.push(harness.close);
    const grade = (studentId: string, page: number) => gradePage(example, { status: 'read', assignmentId: example.id, page, studentId, readings: [], timings: { decodeMs: 0, locateMs: 0, fieldsMs: 0 } });
    const reportDir = join(harness.dataDir, 'reports', example.id);
    await mkdir(reportDir, { recursive: true });
    await writeFile(join(reportDir, 'class-report.json'), JSON.stringify({ assignmentId: example.id, pages: [grade('s01', 1), grade('s01', 2), grade('s02', 1)], rescanned: ['s02'] }));
    const options = { assignments: [example], omrSheets: [], rosters: new Map(), counters: new PipelineCounters(), retentionDays: () => 30, uploadCrops: () => false };
    const upgraded = new HomeworkScanning({ ...options, dataDir: harness.dataDir, devices: new DeviceRegistry({ logger }), publisher: harness.publisher, logger });
    await upgraded.start();
    await upgraded.stop();
    expect(upgraded.summaries()).toMatchObject([{ assignmentId: example.id, pagesRead: 3, students: ['s01', 's02'] }]);
    expect((await readdir(reportDir)).sort()).toEqual(['students']);
    expect((await readdir(join(reportDir, 'students'))).sort()).toEqual(['s01.json', 's02.json']);

    // Started again, it reads the students' files: the same report, s02 still marked as scanned twice.
    const again = new HomeworkScanning({ ...options, dataDir: harness.dataDir, devices: new DeviceRegistry({ logger }), publisher: harness.publisher, logger });
    await again.start();
    await again.stop();
    expect(again.summaries()).toEqual(upgraded.summaries());
    expect(JSON.parse(readFileSync(join(reportDir, 'students', 's02.json'), 'utf8'))).toMatchObject({ studentId: 's02', rescanned: true });
  });
});
