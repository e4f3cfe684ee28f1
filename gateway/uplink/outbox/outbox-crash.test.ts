import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../log/logger.js';
import { Outbox } from './outbox.js';
import { useTempDirs } from './test-support/helpers.js';
import type { Envelope, OutboxRecord } from './types.js';

const tempDir = useTempDirs();
const CHILD = fileURLToPath(new URL('./test-support/crash-child.ts', import.meta.url));

interface Reported {
  enqueued: Map<number, { seq: number; stream: string; id: string }>;
  acked: Set<number>;
}

/** Runs crash-child.ts on dir and SIGKILLs it once it has reported `enqueues` safe messages. */
async function runAndKill(dir: string, report: string, enqueues: number): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, report], { stdio: ['ignore', 'inherit', 'inherit'] });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const poll = setInterval(() => {
    void readFile(report, 'utf8').then(
      (text) => text.split('\nE ').length > enqueues && child.kill('SIGKILL'),
      () => undefined, // not created yet
    );
  }, 20);
  try {
    expect(await exited).toBe('SIGKILL');
  } finally {
    clearInterval(poll);
  }
}

/** The children's reports; a line cut short by a kill has no closing ';' and is ignored. */
async function readReports(report: string): Promise<Reported> {
  const reported: Reported = { enqueued: new Map(), acked: new Set() };
  for (const line of (await readFile(report, 'utf8')).split('\n')) {
    const [kind, lsn, seq, stream, id] = line.endsWith(';') ? line.slice(0, -1).split(' ') : [];
    if (kind === 'E') reported.enqueued.set(Number(lsn), { seq: Number(seq), stream: stream!, id: id! });
    if (kind === 'A') reported.acked.add(Number(lsn));
  }
  return reported;
}

describe('Outbox under SIGKILL', () => {
  it('after repeated kills mid-stream, every enqueue reported safe and not acked is there, seqs never repeat', { timeout: 30_000 }, async () => {
    const base = await tempDir();
    const dir = join(base, 'outbox');
    const report = join(base, 'report.log');
    await runAndKill(dir, report, 4000);
    await runAndKill(dir, report, 8000); // the second child recovers what the first left, then is killed too
    const reported = await readReports(report);

    const outbox = await Outbox.open({ dir, logger: silentLogger() });
    try {
      const present = new Map<number, OutboxRecord>();
      for (let from = 0; ; ) {
        const page = await outbox.read(from, 1000);
        if (page.length === 0) break;
        for (const r of page) present.set(r.lsn, r);
        from = page.at(-1)!.lsn + 1;
      }
      const missing = [...reported.enqueued].filter(([lsn, e]) => {
        const r = present.get(lsn);
        if (!r) return !reported.acked.has(lsn);
        const env = JSON.parse(r.payload.toString('utf8')) as Envelope;
        return env.id !== e.id || env.seq !== e.seq || r.stream !== e.stream;
      });
      expect(missing).toEqual([]);

      // Acks are saved in batches (100 here, or every 20 ms): only the last unsaved ones may come back.
      const replayed = [...reported.acked].filter((lsn) => present.has(lsn)).length;
      expect(reported.acked.size).toBeGreaterThan(500);
      expect(replayed).toBeLessThan(1000);

      const maxSeq = new Map<string, number>();
      for (const e of reported.enqueued.values()) maxSeq.set(e.stream, Math.max(maxSeq.get(e.stream) ?? 0, e.seq));
      for (const [stream, seq] of maxSeq) {
        expect((await outbox.enqueue({ stream, schema: 'crash/1', data: null, priority: 'event' })).seq).toBeGreaterThan(seq);
      }
      // Seqs reported by the two children never collide.
      const keys = [...reported.enqueued.values()].map((e) => `${e.stream}#${e.seq}`);
      expect(new Set(keys).size).toBe(keys.length);
    } finally {
      await outbox.close();
    }
  });
});
