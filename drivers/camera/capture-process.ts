import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';

export interface CaptureExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The process could not be run at all (e.g. ENOENT: not installed). */
  spawnError?: NodeJS.ErrnoException;
}

export interface CaptureProcessOptions {
  command: string;
  args: readonly string[];
  onData: (chunk: Buffer) => void;
  /** Once, after stdout has been read to its end; not called for a stop() we asked for. */
  onExit: (exit: CaptureExit) => void;
}

const STDERR_LINES = 8;
const STDERR_LINE_CHARS = 300;

/**
 * One capture process (ffmpeg, rpicam-vid): its stdout goes to `onData`, the last lines of its
 * stderr are kept (bounded) to explain an exit, and stop() always ends it — SIGTERM, then SIGKILL
 * after a grace period — and waits until it has been reaped, so no zombie or orphan is left.
 */
export class CaptureProcess {
  readonly #child: ChildProcessByStdio<null, Readable, Readable>;
  readonly #exited: Promise<CaptureExit>;
  #stderrLines: string[] = [];
  #partialLine = '';
  #stopping = false;
  #done = false;

  constructor(options: CaptureProcessOptions) {
    this.#child = spawn(options.command, options.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child.stdout.on('data', (chunk: Buffer) => {
      if (!this.#stopping) options.onData(chunk);
    });
    this.#child.stderr.on('data', (chunk: Buffer) => this.#collectStderr(chunk.toString('utf8')));
    this.#exited = new Promise((resolve) => {
      this.#child.on('error', (err: NodeJS.ErrnoException) => {
        // Also emitted when a kill fails (any number of times); only a process that never started ends here.
        if (this.#child.pid === undefined) resolve({ code: null, signal: null, spawnError: err });
      });
      this.#child.once('close', (code, signal) => resolve({ code, signal }));
    });
    void this.#exited.then((exit) => {
      this.#done = true;
      if (this.#partialLine) this.#pushLine(this.#partialLine);
      if (!this.#stopping) options.onExit(exit);
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** The last lines the process wrote to stderr, oldest first. */
  stderrTail(): string[] {
    return [...this.#stderrLines, ...(this.#partialLine ? [this.#partialLine] : [])];
  }

  async stop(graceMs: number): Promise<void> {
    this.#stopping = true;
    if (this.#done) return;
    this.#child.kill('SIGTERM');
    const exited = await Promise.race([this.#exited.then(() => true), sleep(graceMs, false)]);
    if (!exited) this.#child.kill('SIGKILL');
    await this.#exited;
  }

  #collectStderr(text: string): void {
    const lines = (this.#partialLine + text).split(/\r?\n|\r/);
    this.#partialLine = (lines.pop() ?? '').slice(0, STDERR_LINE_CHARS);
    for (const line of lines) this.#pushLine(line);
  }

  #pushLine(line: string): void {
    const trimmed = line.trim();
    if (!trimmed) return;
    this.#stderrLines.push(trimmed.slice(0, STDERR_LINE_CHARS));
    if (this.#stderrLines.length > STDERR_LINES) this.#stderrLines.shift();
  }
}
