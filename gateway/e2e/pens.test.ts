import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassReportMessage, HomeworkBurden, PenLive, PenPage } from '../contract/types.generated.js';
import { contractProblems } from '../test-support/contract-check.js';
import { DistrictSubscriber } from '../test-support/district-subscriber.js';
import { startGatewayProcess, type GatewayProcess } from '../test-support/gateway-process.js';
import { startMosquitto, type MosquittoBroker } from '../test-support/mosquitto.js';
import { socatPtyPair, type PtyPair } from '../test-support/pty-pair.js';
import type { StatusSnapshot } from '../web/status-types.js';
import { projectRoot } from '../util/project-root.js';

const SIMULATOR = join(projectRoot(), 'scripts', 'pens', 'simulate-hub.ts');
const TSX_LOADER = pathToFileURL(join(projectRoot(), 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const PENS = 40;

/**
 * The whole pen path with real parts: the hub simulator writes 40 pens' protocol traffic into
 * one end of a socat pty pair, the real gateway reads the other end as its pen hub, and the
 * district (mosquitto) receives the results through the uplink.
 */
describe('40 pens through a real serial port to the district (e2e)', () => {
  let broker: MosquittoBroker;
  let pty: PtyPair;
  let gateway: GatewayProcess;
  let district: DistrictSubscriber;
  let simulatorOutput = '';
  let stopSimulator: () => Promise<void>;

  beforeAll(async () => {
    broker = await startMosquitto();
    pty = await socatPtyPair();
    gateway = await startGatewayProcess({
      settings: {
        district: { url: broker.url },
        devices: [{ id: 'pen-hub-1', kind: 'pen-hub', transport: 'real', options: { path: pty.host } }],
        pens: { pageSettleSeconds: 2 },
      },
    });
    district = await DistrictSubscriber.connect(broker.url, `${gateway.baseTopic}/#`);
    // The gateway has recorded the example class's pages in its paper map: the pens write on them.
    const child = spawn(process.execPath, ['--import', TSX_LOADER, SIMULATOR, '--port', pty.hub, '--pens', String(PENS), '--class', gateway.dataDir, '--time-scale', '300', '--seconds', '600'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d: Buffer) => (simulatorOutput += d.toString()));
    child.stderr.on('data', (d: Buffer) => (simulatorOutput += d.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    stopSimulator = async () => {
      child.kill('SIGINT');
      await exited;
    };
  }, 60_000);

  afterAll(async () => {
    await stopSimulator?.();
    await district?.client.endAsync();
    await gateway?.kill('SIGTERM');
    await pty?.close();
    await broker?.dispose();
  });

  const data = <T>(suffix: string) => district.envelopes(`${gateway.baseTopic}/${suffix}`).map((e) => e.data as T);

  it('shows every student live, grades their pages and reports homework time, all inside the contract', async () => {
    const why = () => `simulator: ${simulatorOutput}\ngateway: ${gateway.output().slice(-3000)}`;
    await district.waitFor(() => (data<PenLive>('pens/live').at(-1)?.students.length ?? 0) === PENS, 60_000, `live progress of ${PENS} students\n${why()}`);
    const live = data<PenLive>('pens/live').at(-1)!;
    expect(live.pens).toEqual({ connected: PENS, ready: PENS });
    expect(live.students.every((s) => s.assignmentId === 'fractions-week3' && s.questions === 15)).toBe(true);

    // Page 1 of every student, read from the strokes once the pen moved on or stopped.
    const studentsWithPage1 = () => new Set(data<PenPage>('pens/page').filter((p) => p.page === 1).map((p) => p.studentId)).size;
    await district.waitFor(() => studentsWithPage1() === PENS, 90_000, `page 1 of all ${PENS} students\n${why()}`);
    const pages = data<PenPage>('pens/page');
    expect(pages.every((p) => p.assignmentId === 'fractions-week3' && p.maxScore > 0)).toBe(true);
    // The simulated students answer mostly right: a class where nobody scores is a reading failure.
    const scored = pages.filter((p) => p.page === 1 && p.score > 0).length;
    expect(scored).toBeGreaterThan(pages.filter((p) => p.page === 1).length / 2);

    await district.waitFor(() => (data<HomeworkBurden>('pens/burden/fractions-week3').at(-1)?.students.length ?? 0) === PENS, 60_000, `burden of ${PENS} students\n${why()}`);
    const burden = data<HomeworkBurden>('pens/burden/fractions-week3').at(-1)!;
    expect(burden).toMatchObject({ grade: 5, limitMinutes: 60, distribution: { count: PENS } });
    expect(burden.distribution.p50Minutes).toBeGreaterThan(0);

    // Pen pages count in the assignment's class report, as scanned pages do.
    await district.waitFor(() => (data<ClassReportMessage>('scan/report/fractions-week3').at(-1)?.students.length ?? 0) === PENS, 60_000, `class report of ${PENS} students\n${why()}`);
    expect(data<ClassReportMessage>('scan/report/fractions-week3').at(-1)!.perQuestion.some((q) => q.answered > 0)).toBe(true);

    // The web page's status (public view: counts, no student ids).
    const status = (await (await fetch(`http://127.0.0.1:${gateway.webPort}/api/status`)).json()) as StatusSnapshot;
    expect(status.pens).toMatchObject({ connected: PENS, ready: PENS, students: [] });
    expect(status.pens!.writing + status.pens!.idle).toBe(PENS);
    expect(status.pens!.burden).toContainEqual(expect.objectContaining({ assignmentId: 'fractions-week3', students: PENS }));

    // Strokes stay in the classroom; everything that left is in the contract.
    expect(district.received.some((m) => m.topic.endsWith('/pens/stroke'))).toBe(false);
    expect(contractProblems(gateway.baseTopic, district.received)).toEqual([]);
  }, 240_000);
});
