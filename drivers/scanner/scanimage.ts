import { execFile } from 'node:child_process';

export const SCANIMAGE = process.env.SCANIMAGE ?? 'scanimage';

export interface ScanimageResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs scanimage to completion, bounded in time: SANE backends can hang on a sick device. */
export function runScanimage(args: string[], timeoutMs: number): Promise<ScanimageResult> {
  return new Promise((resolve, reject) => {
    execFile(SCANIMAGE, args, { timeout: timeoutMs, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new Error('scanimage not found: apt-get install sane-utils'));
        return;
      }
      if (err && err.killed) {
        reject(new Error(`scanimage ${args.join(' ')} did not answer within ${timeoutMs / 1000} s`));
        return;
      }
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}
