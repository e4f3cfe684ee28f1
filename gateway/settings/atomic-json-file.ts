import { chmod, mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';
import type { Logger } from '../log/logger.js';

const MODE = 0o600; // settings hold the district password, secrets.json the rest

let tempCounter = 0;

/**
 * lowdb adapter that never leaves a half-written file behind a power cut: the new content goes
 * to a temp file in the same folder, is fsync'd, renamed over the old one (atomic on POSIX),
 * and the folder is fsync'd so the rename itself survives. A crash before the rename leaves
 * the old file intact plus a stale `.<name>.*.tmp`, which removeStaleTemps() deletes at start.
 */
export class AtomicJsonFile<T> implements Adapter<T> {
  readonly #dir: string;
  readonly #base: string;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly file: string,
    private readonly parse: (text: string) => T,
  ) {
    this.#dir = dirname(file);
    this.#base = basename(file);
  }

  /** null when the file does not exist (lowdb then keeps its default data). */
  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    return this.parse(text);
  }

  /** Writes are queued, so overlapping calls land in call order. */
  write(data: T): Promise<void> {
    const run = this.#queue.then(() => this.#write(data));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Deletes temp files left by a crash mid-write. Call at start, before this process writes. */
  removeStaleTemps(): Promise<string[]> {
    return AtomicJsonFile.removeStaleTempsIn(this.#dir, this.#base);
  }

  /**
   * Deletes the temp files a crash mid-write left in `dir`: of the file named `base`, or of every
   * file there (a folder of files written this way, some of which never got as far as existing).
   */
  static async removeStaleTempsIn(dir: string, base?: string): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const stale = names.filter((n) => n.startsWith(base === undefined ? '.' : `.${base}.`) && n.endsWith('.tmp')).map((n) => join(dir, n));
    await Promise.all(stale.map((p) => unlink(p)));
    return stale;
  }

  async #write(data: T): Promise<void> {
    const text = JSON.stringify(data, null, 2) + '\n';
    await mkdir(this.#dir, { recursive: true });
    const temp = join(this.#dir, `.${this.#base}.${process.pid}.${++tempCounter}.tmp`);
    try {
      const handle = await open(temp, 'wx', MODE);
      try {
        await handle.chmod(MODE); // open()'s mode is filtered by the umask; make it exact
        await handle.writeFile(text, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.file);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    await syncDirectory(this.#dir);
  }
}

async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
  } catch (error) {
    // Windows cannot open a folder; there the rename is as durable as it gets.
    if ((error as NodeJS.ErrnoException).code === 'EISDIR' || (error as NodeJS.ErrnoException).code === 'EPERM') return;
    throw error;
  }
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Tightens a file someone else created (an editor, a copy) to owner-only. Failing to (a file
 * owned by another user) is logged, not fatal: the gateway must still start.
 */
export async function ensureOwnerOnly(file: string, logger: Logger): Promise<void> {
  try {
    const { mode } = await stat(file);
    if ((mode & 0o077) === 0) return;
    await chmod(file, MODE);
    logger.warn({ file, was: (mode & 0o777).toString(8) }, 'file was readable by other users; made it owner-only (0600)');
  } catch (error) {
    logger.warn({ file, err: error }, 'could not make file owner-only (0600); it may expose passwords');
  }
}
