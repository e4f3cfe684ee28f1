import { open, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../log/logger.js';
import { syncDir } from './durable-fs.js';
import { segmentFileName } from './segment-file.js';

export interface Segment {
  /** Lower bound of the LSNs in the file (its name). */
  readonly firstLsn: number;
  readonly path: string;
  /** Bytes on disk; for the segment being written, where the next frame goes. */
  size: number;
  /** Highest message LSN in the file, 0 if none. */
  lastLsn: number;
}

/** An append failed (the I/O error is the cause); rolledBack says the file was cut back, durably, to where the batch began. */
export class AppendFailed extends Error {
  override name = 'AppendFailed';
  constructor(
    cause: unknown,
    readonly rolledBack: boolean,
  ) {
    super(`append failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

/**
 * The segment files of one outbox directory, oldest first. Only the newest segment is ever written;
 * reads open their own descriptors so rotation and deletion never pull a file out from under them.
 */
export class SegmentStore {
  private writer: { segment: Segment; fh: FileHandle; dirSynced: boolean } | null = null;
  /** Sum of the segments' sizes: what capacity is measured against. */
  diskBytes: number;

  constructor(
    private readonly dir: string,
    private readonly segmentBytes: number,
    private readonly log: Logger,
    /** Segments found on disk at open, oldest first. */
    private readonly segments: Segment[],
    /** Open on the newest of them, which appends continue. */
    writerHandle: FileHandle | null,
  ) {
    const newest = segments.at(-1);
    if (writerHandle && newest) this.writer = { segment: newest, fh: writerHandle, dirSynced: true };
    this.diskBytes = segments.reduce((n, s) => n + s.size, 0);
  }

  /** The segment a batch of about `bytes` goes to: the current one, or a new one named firstLsn when it is full. */
  async segmentFor(bytes: number, firstLsn: number): Promise<Segment> {
    const w = this.writer;
    if (w && (w.segment.size === 0 || w.segment.size + bytes <= this.segmentBytes)) return w.segment;
    await this.seal();
    const segment: Segment = { firstLsn, path: join(this.dir, segmentFileName(firstLsn)), size: 0, lastLsn: 0 };
    const fh = await open(segment.path, 'wx');
    this.segments.push(segment);
    this.writer = { segment, fh, dirSynced: false };
    return segment;
  }

  /**
   * Writes data at the end of the current segment and fdatasyncs it. On failure the file is cut
   * back so the next batch starts on a frame boundary; if even that fails the segment is sealed
   * and the next batch opens a new one.
   */
  async append(segment: Segment, data: Buffer, lastLsn: number): Promise<void> {
    const w = this.writer;
    if (w?.segment !== segment) throw new Error(`segment ${segment.path} is not the one being written`);
    const start = segment.size;
    try {
      // The new file's directory entry must be durable too, or a crash could lose the whole file.
      if (!w.dirSynced) {
        await syncDir(this.dir);
        w.dirSynced = true;
      }
      for (let done = 0; done < data.length; ) {
        const { bytesWritten } = await w.fh.write(data, done, data.length - done, start + done);
        done += bytesWritten;
      }
      await w.fh.datasync();
    } catch (err) {
      throw new AppendFailed(err, await this.cutBack(start));
    }
    segment.size = start + data.length;
    this.diskBytes += data.length;
    segment.lastLsn = lastLsn;
  }

  private async cutBack(size: number): Promise<boolean> {
    const w = this.writer!;
    try {
      await w.fh.truncate(size);
      await w.fh.datasync();
      return true;
    } catch (err) {
      this.log.error({ file: w.segment.path, offset: size, err }, 'outbox segment could not be cut back after a failed append; sealing it');
      await this.seal();
      return false;
    }
  }

  /** Reads byte ranges of one segment through a descriptor of its own. */
  async read(segment: Segment, ranges: ReadonlyArray<{ offset: number; length: number }>): Promise<Buffer[]> {
    const fh = await open(segment.path, 'r');
    try {
      const out: Buffer[] = [];
      for (const { offset, length } of ranges) {
        const buf = Buffer.allocUnsafe(length);
        for (let done = 0; done < length; ) {
          const { bytesRead } = await fh.read(buf, done, length - done, offset + done);
          if (bytesRead === 0) throw new Error(`${segment.path}: unexpected end of file at ${offset + done}`);
          done += bytesRead;
        }
        out.push(buf);
      }
      return out;
    } finally {
      await fh.close();
    }
  }

  /**
   * Deletes the oldest segments whose records all lie below ackedBelow. The newest segment is
   * kept whatever its state: it carries the latest sequence snapshot and the LSN high-water mark.
   */
  async deleteBelow(ackedBelow: number): Promise<void> {
    for (let first = this.segments[0]; first && first !== this.segments.at(-1); first = this.segments[0]) {
      if (first.lastLsn >= ackedBelow) return;
      await unlink(first.path).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
      });
      this.segments.shift();
      this.diskBytes -= first.size;
    }
  }

  async close(): Promise<void> {
    await this.seal();
  }

  private async seal(): Promise<void> {
    const w = this.writer;
    this.writer = null;
    await w?.fh.close();
  }
}
