import { mkdtemp, open, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach } from 'vitest';
import type { Logger } from '../../../log/logger.js';

/** Test helpers shared by the outbox tests. */

/** Returns a maker of fresh temp dirs, all removed after each test. */
export function useTempDirs(): () => Promise<string> {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), 'outbox-test-'));
    dirs.push(dir);
    return dir;
  };
}

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A logger whose JSON lines are kept for assertions (pino levels: 40 warn, 50 error). */
export function captureLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  return { logger, lines };
}

/** The prototype of fs/promises FileHandle (not exported by Node), to inject I/O faults with vi.spyOn. */
export async function fileHandlePrototype(dir: string): Promise<FileHandle> {
  const path = join(dir, 'probe');
  const fh = await open(path, 'w');
  await fh.close();
  await rm(path);
  return Object.getPrototypeOf(fh) as FileHandle;
}

/** Deterministic PRNG, so a failing fuzz case can be replayed. */
export { seeded as prng } from '../../../util/random.js';
