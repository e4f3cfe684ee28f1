import type { Transport } from '../../gateway/devices/device.js';
import type { Logger } from '../../gateway/log/logger.js';
import { CameraDevice } from './camera-device.js';
import type { CapturePlan } from './capture-plans.js';
import { CaptureProcess, type CaptureExit } from './capture-process.js';

export interface ProcessCameraOptions {
  id: string;
  logger: Logger;
  /** 'real' for a camera; 'simulated' for a video file played through ffmpeg. */
  transport: Transport;
  plan: CapturePlan;
  stallMs: number;
  maxFrameBytes: number;
  /** How long the process gets to exit after SIGTERM before SIGKILL. */
  stopGraceMs?: number;
}

const STDERR_LINES_IN_MESSAGE = 3;

/**
 * A camera whose MJPEG stream is the stdout of a capture process (ffmpeg or rpicam-vid). The
 * process exiting, for whatever reason, fails the device with its last stderr lines; the registry
 * then restarts it with backoff, which is also how an unplugged camera is found again.
 */
export class ProcessCamera extends CameraDevice {
  #plan: CapturePlan;
  #process: CaptureProcess | null = null;
  #framesThisRun = 0;

  constructor(private readonly opts: ProcessCameraOptions) {
    super({ id: opts.id, transport: opts.transport, logger: opts.logger, stallMs: opts.stallMs, maxFrameBytes: opts.maxFrameBytes });
    this.#plan = opts.plan;
    this.onFrame(() => (this.#framesThisRun += 1));
  }

  /** The running capture process, for diagnostics and tests. */
  get pid(): number | undefined {
    return this.#process?.pid;
  }

  protected override async openCapture(): Promise<void> {
    this.#spawn();
  }

  protected override async closeCapture(): Promise<void> {
    const capture = this.#process;
    this.#process = null;
    await capture?.stop(this.opts.stopGraceMs ?? 2_000);
  }

  protected override describe(): string {
    return this.#plan.description;
  }

  #spawn(): void {
    this.#framesThisRun = 0;
    const capture: CaptureProcess = new CaptureProcess({
      command: this.#plan.command,
      args: this.#plan.args,
      onData: (chunk) => {
        if (this.#process === capture) this.receive(chunk);
      },
      onExit: (exit) => {
        if (this.#process === capture) this.#exited(capture, exit);
      },
    });
    this.#process = capture;
    this.logger.debug({ pid: capture.pid, command: this.#plan.command, args: this.#plan.args }, 'capture process started');
  }

  #exited(capture: CaptureProcess, exit: CaptureExit): void {
    this.#process = null;
    const tail = capture.stderrTail();
    const fallback = this.#plan.fallback;
    if (fallback && this.#framesThisRun === 0 && tail.some((line) => fallback.when.test(line))) {
      this.#plan = fallback.plan;
      this.emitEvent('capture-fallback', 'info', fallback.reason);
      this.#spawn();
      return;
    }
    this.captureFailed(new Error(this.#explain(exit, tail)));
  }

  #explain(exit: CaptureExit, tail: string[]): string {
    const { command, debianPackage, diagnoses } = this.#plan;
    if (exit.spawnError?.code === 'ENOENT') return `${command} not found: install it with "apt-get install ${debianPackage}"`;
    if (exit.spawnError) return `${command} could not be started: ${exit.spawnError.message}`;
    const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    const said = tail.slice(-STDERR_LINES_IN_MESSAGE).join(' | ');
    const diagnosis = diagnoses.find(([pattern]) => tail.some((line) => pattern.test(line)))?.[1];
    return `${diagnosis ?? 'capture stopped'} (${command} ${how}${said ? `: ${said}` : ''})`;
  }
}
