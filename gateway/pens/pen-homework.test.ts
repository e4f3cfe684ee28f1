import { readFileSync } from 'node:fs';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HubEvent, HubStats, PenHub, PenInfo } from '../../drivers/pen-hub/pen-hub.js';
import type { HomeworkBurden, PenLive, PenPage, PenStroke } from '../contract/types.generated.js';
import { BaseDevice } from '../devices/device.js';
import { DeviceRegistry } from '../devices/registry.js';
import type { Assignment } from '../homework/assignments/types.js';
import { silentLogger } from '../log/logger.js';
import type { Settings } from '../settings/types.js';
import { PipelineCounters } from '../telemetry/counters.js';
import { contractProblems } from '../test-support/contract-check.js';
import { publishingHarness } from '../test-support/publishing-harness.js';
import { demoClass } from './demo/class-scripts.js';
import { scriptEvents } from './demo/script-events.js';
import { addressKey, PaperMap } from './paper/paper-map.js';
import { recordDotPaperPrint } from './paper/print-job.js';
import { PenHomework } from './pen-homework.js';

const BASE = 'classroom/s/c/g';
const logger = silentLogger();
const assignment = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'homework', 'assignments', 'examples', 'fractions-week3.json'), 'utf8')) as Assignment;
const students = ['s1', 's2', 's3', 's4'].map((studentId, i) => ({ studentId, mac: `9C:7B:D2:00:00:0${i + 1}` }));
const TEACHER = '9C:7B:D2:00:00:FF';
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** The outermost edge only: a hub that hands on recorded events (the hub driver has its own tests, and the e2e test runs it for real). */
class ReplayHub extends BaseDevice implements PenHub {
  private readonly subscribers = new Set<(e: HubEvent) => void>();
  constructor() {
    super({ id: 'pen-hub-1', kind: 'pen-hub', transport: 'simulated', logger });
  }
  protected async onStart(): Promise<void> {}
  protected async onStop(): Promise<void> {}
  onEvent(listener: (e: HubEvent) => void): () => void {
    this.subscribers.add(listener);
    return () => this.subscribers.delete(listener);
  }
  pens(): PenInfo[] {
    return students.map((s, i) => ({ pen: `pen-hub-1/${i}`, mac: s.mac, model: 'NWP-F30', firmware: '1.00', battery: 80, ready: true }));
  }
  stats(): HubStats {
    return { bytes: 0, frames: 0, garbageBytes: 0, oversizeFrames: 0, malformedFrames: 0, unknownCommands: {} };
  }
  replay(events: HubEvent[]): void {
    for (const e of events) for (const l of this.subscribers) l(e);
  }
}

async function setup(pens: Partial<Settings['pens']> = {}, journalDir?: string) {
  const { publisher, seen, close } = await publishingHarness(BASE, 'pens-');
  closers.push(close);
  const hub = new ReplayHub();
  const devices = new DeviceRegistry({ logger });
  devices.registerDriver('pen-hub', { create: () => hub });
  devices.load([{ id: 'pen-hub-1', kind: 'pen-hub', transport: 'simulated' }]);
  await devices.startAll();
  closers.push(async () => void (await devices.stopAll()));
  const paperMap = new PaperMap();
  recordDotPaperPrint(paperMap, assignment, { copies: 'personalised', roster: { classId: '5b', students: students.map((s) => ({ id: s.studentId, name: s.studentId })) } });
  const settings: Settings['pens'] = { students: [], teacherPens: [TEACHER], idleAfterSeconds: 60, breakAfterMinutes: 15, pageSettleSeconds: 20, ...pens };
  const counters = new PipelineCounters();
  const pipeline = new PenHomework({ devices, publisher, counters, assignments: [assignment], paperMap, settings: () => settings, logger, journalDir, tickMs: 20, liveEveryMs: 0, burdenEveryMs: 0 });
  await pipeline.start();
  const messages = <T>(topic: string) => seen.filter((m) => m.topic === `${BASE}/${topic}`).map((m) => JSON.parse(m.payload.toString()) as { data: T } & T);
  return { hub, pipeline, paperMap, counters, seen, messages };
}

/** Each pen's writing as the hub delivers it, started an hour ago: a finished homework evening. */
function classEvents(demo: ReturnType<typeof demoClass>, macs: string[]): HubEvent[] {
  const startAt = Date.now() - 3_600_000 * 2;
  return demo.scripts.flatMap((script, i) => scriptEvents(script, `pen-hub-1/${i}`, startAt).map((e) => ({ ...e, mac: macs[i] ?? null })));
}

async function until(condition: () => boolean, ms = 20_000): Promise<void> {
  for (const end = Date.now() + ms; !condition(); ) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('pen homework pipeline (hub events → strokes → pages, progress, burden → outbox and bus)', () => {
  it('grades each student page from the strokes, learns whose pen is whose, and reports time on task', async () => {
    const { hub, pipeline, paperMap, counters, seen, messages } = await setup();
    const demo = demoClass({ assignment, paperMap, students, teacherMac: TEACHER, seed: 5 });
    hub.replay(classEvents(demo, [...students.map((s) => s.mac), TEACHER]));
    const pageCount = students.length * assignment.pages.length;
    await until(() => messages<PenPage>('pens/page').length >= pageCount);
    // Then s2 writes on a generic copy (no student printed on it): the pen was learnt from s2's own pages.
    const [generic] = recordDotPaperPrint(paperMap, assignment, { copies: 'generic', count: 1 });
    const onGeneric = demo.scripts[1]!.strokes.slice(0, 15).map((st) => ({ ...st, address: generic!.address }));
    hub.replay(scriptEvents({ mac: students[1]!.mac, strokes: onGeneric }, 'pen-hub-1/1', Date.now() - 60_000));
    await until(() => messages<PenStroke>('pens/stroke').some((m) => addressKey(m.address) === addressKey(generic!.address)));
    await pipeline.stop();
    expect(messages<PenStroke>('pens/stroke').filter((m) => addressKey(m.address) === addressKey(generic!.address)).map((m) => m.studentId)).toEqual(Array(15).fill('s2'));
    expect(counters.snapshot().pens!.strokesOfUnknownWriter ?? 0).toBe(0);

    const pages = messages<PenPage>('pens/page').map((m) => m.data);
    expect(new Set(pages.map((p) => `${p.studentId}/${p.page}`)).size).toBe(pageCount);
    expect(pages.filter((p) => p.studentId === 's2' && p.page === 1).length).toBeGreaterThanOrEqual(2);
    let fields = 0;
    const wrong: string[] = [];
    for (const { studentId, page, fields: meant } of demo.intended) {
      const sent = pages.filter((p) => p.studentId === studentId && p.page === page).sort((a, b) => b.revision - a.revision)[0]!;
      for (const m of meant) {
        fields++;
        const q = sent.questions.find((x) => x.questionId === m.questionId);
        const expected = m.state === 'marked' || m.state === 'digits' || m.state === 'tick' || m.state === 'cross' ? m.value : null;
        const given = Array.isArray(q?.given) ? [...q.given].sort() : q?.given;
        const meantValue = Array.isArray(expected) ? [...expected].sort() : expected;
        if (JSON.stringify(given ?? null) !== JSON.stringify(meantValue ?? null) && !sent.needsReview.includes(m.questionId)) wrong.push(`${studentId} ${m.questionId}: meant ${JSON.stringify(meantValue)}, sent ${JSON.stringify(given)}`);
      }
      // When the student wrote the question is known from the strokes.
      expect(sent.questions.filter((q) => q.writtenFrom !== null).length).toBeGreaterThan(0);
    }
    expect(wrong, wrong.join('\n')).toEqual([]);
    expect(fields).toBeGreaterThan(30);

    const strokes = messages<PenStroke>('pens/stroke');
    expect(strokes.length).toBe(counters.snapshot().pens!.strokes);
    // The teacher's marking is read on the page but never counted as a student's writing.
    expect(strokes.filter((s) => s.mac === TEACHER).every((s) => s.studentId === null)).toBe(true);
    expect(new Set(strokes.filter((s) => s.mac !== TEACHER).map((s) => s.studentId))).toEqual(new Set(students.map((s) => s.studentId)));

    const live = messages<PenLive>('pens/live').at(-1)!.data;
    expect(live.pens).toEqual({ connected: 4, ready: 4 });
    // Everyone finished an hour ago; s2 has just been writing on the generic copy.
    expect(live.students.map((s) => [s.studentId, s.state])).toEqual(students.map((s) => [s.studentId, s.studentId === 's2' ? 'writing' : 'idle']));
    for (const s of live.students) expect(s.answered).toBeGreaterThan(s.questions / 2);

    const burden = messages<HomeworkBurden>(`pens/burden/${assignment.id}`).at(-1)!.data;
    expect(burden.limitMinutes).toBe(60);
    expect(burden.students.map((s) => s.studentId)).toEqual(students.map((s) => s.studentId));
    for (const s of burden.students) {
      expect(s.elapsedMinutes).toBeGreaterThan(5);
      expect(s.activeMinutes).toBeLessThanOrEqual(s.elapsedMinutes);
      expect(s.overLimit).toBe(s.elapsedMinutes > 60);
    }
    expect(burden.distribution.count).toBe(4);
    expect(contractProblems(BASE, seen)).toEqual([]);
    expect(pipeline.summary().burden[0]).toMatchObject({ assignmentId: assignment.id, students: 4, limitMinutes: 60 });
  });

  it('counts writing on paper it did not print, and by a pen nobody is known for, without failing', async () => {
    const { hub, pipeline, counters, messages } = await setup();
    const foreign = demoClass({ assignment, paperMap: (() => {
      const other = new PaperMap();
      recordDotPaperPrint(other, assignment, { copies: 'personalised', roster: { classId: 'x', students: [{ id: 'x', name: 'x' }] } }, { section: 9, owner: 1, notes: { from: 1, to: 2 }, pagesPerNote: 10 });
      return other;
    })(), students: [{ studentId: 'x', mac: '9C:7B:D2:00:00:AA' }], seed: 1 });
    // Printed by another gateway (another address range): none of it is in this gateway's map.
    hub.replay(classEvents({ ...foreign, scripts: foreign.scripts.map((s) => ({ ...s, strokes: s.strokes.slice(0, 20) })) }, ['9C:7B:D2:00:00:AA']));
    await until(() => (counters.snapshot().pens?.strokes ?? 0) >= 20);
    await pipeline.stop();
    expect(counters.snapshot().pens).toMatchObject({ strokes: 20, strokesOnUnknownPaper: 20, pagesRead: 0 });
    expect(messages<PenPage>('pens/page')).toEqual([]);
  });

  it('a gateway that dies mid-homework rebuilds its pages, progress and homework time from the stroke journal', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pens-journal-'));
    closers.push(() => rm(dir, { recursive: true, force: true }));
    // Pages go out only when the pen moves on (or at stop): the page each student is on stays unsent.
    const holdPages = { pageSettleSeconds: 1_000_000 };
    const first = await setup(holdPages, join(dir, 'journal'));
    const demo = demoClass({ assignment, paperMap: first.paperMap, students, teacherMac: TEACHER, seed: 7 });
    first.hub.replay(classEvents(demo, students.map((s) => s.mac)));
    await until(() => first.messages<PenPage>('pens/page').length >= students.length);
    // Once the pages the pens left are all out (none for 300 ms), a few journal flushes later: the
    // card as a power cut would leave it. (A page sent in the last second before a crash is sent again.)
    for (let sent = -1; sent !== first.messages<PenPage>('pens/page').length; ) {
      sent = first.messages<PenPage>('pens/page').length;
      await new Promise((r) => setTimeout(r, 300));
    }
    await cp(join(dir, 'journal'), join(dir, 'after-crash'), { recursive: true });
    const sentBefore = first.messages<PenPage>('pens/page').length;
    await first.pipeline.stop();
    const uninterrupted = first.messages<PenPage>('pens/page').slice(sentBefore);

    const second = await setup(holdPages, join(dir, 'after-crash'));
    await second.pipeline.stop();
    const restored = second.messages<PenPage>('pens/page');
    // Exactly the pages the first run still owed, with the same answers and revisions; none sent twice.
    const key = (p: PenPage) => `${p.studentId}/${p.page}`;
    expect(restored.map((m) => key(m.data)).sort()).toEqual(uninterrupted.map((m) => key(m.data)).sort());
    expect(restored.length).toBeGreaterThan(0);
    for (const page of restored) expect(page.data).toEqual(uninterrupted.find((m) => key(m.data) === key(page.data))!.data);
    const strokes = first.counters.snapshot().pens!.strokes;
    expect(second.counters.snapshot().pens).toMatchObject({ strokes: 0, strokesRestored: strokes });
    // Homework time and progress are those of the run that never stopped.
    const burden = (h: typeof first) => h.messages<HomeworkBurden>(`pens/burden/${assignment.id}`).at(-1)!.data.students;
    expect(burden(second)).toEqual(burden(first));
    const answered = (h: typeof first) => h.messages<PenLive>('pens/live').at(-1)!.data.students.map((s) => [s.studentId, s.answered]);
    expect(answered(second)).toEqual(answered(first));
  });

  it('goes on grading pages when its stroke journal cannot be opened (the path is a file, not a folder)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pens-journal-'));
    closers.push(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, 'journal'), 'not a folder');
    const { hub, pipeline, paperMap, messages } = await setup({}, join(dir, 'journal'));
    const demo = demoClass({ assignment, paperMap, students: students.slice(0, 1), seed: 3 });
    hub.replay(classEvents(demo, [students[0]!.mac]));
    await pipeline.stop();
    expect(messages<PenPage>('pens/page').map((m) => m.data.studentId)).toContain('s1');
  });
});
