import type { PenResponse } from '../protocol/packet-decoder.js';
import { isOldProtocol } from '../protocol/protocol-version.js';
import { notesRequest, setTimeRequest, settingsRequest, versionRequest } from '../protocol/request-encoder.js';

/** Where the handshake stands: the step waiting for its answer, or how it ended. */
export type SessionState = 'version' | 'settings' | 'notes' | 'ready' | 'locked' | 'unresponsive';
export type SessionOutcome = 'ready' | 'locked' | 'unresponsive';

export interface SessionOptions {
  /** How long one request may wait for its answer. */
  timeoutMs?: number;
  /** Requests re-sent after a timeout (or a non-OK result) before the session gives up. */
  retries?: number;
}

type Version = Extract<PenResponse, { type: 'version' }>;

/**
 * One pen's session start, host side: 0x01 → 0x81, 0x04 → 0x84 (a locked pen stops here),
 * 0x11 (all notes) → 0x91, then 0x05 sets the pen's clock and the pen is ready. Each step is
 * re-sent after a timeout; when the retries run out the session ends `unresponsive`.
 */
export class PenSession {
  state: SessionState = 'version';
  version: Version | null = null;
  battery: number | null = null;
  /** The step that never got its answer, once the session ended `unresponsive`. */
  failedStep: 'version' | 'settings' | 'notes' | null = null;
  private attempts = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly send: (bytes: Buffer) => void,
    private readonly onOutcome: (outcome: SessionOutcome, session: PenSession) => void,
    private readonly options: SessionOptions = {},
  ) {}

  get oldFirmware(): boolean {
    return this.version !== null && isOldProtocol(this.version.protocol);
  }

  start(): void {
    this.step('version');
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** An answer from the pen; answers that do not belong to the current step are ignored. */
  handle(response: PenResponse): void {
    if (response.type !== this.state) return;
    if (response.result !== 0) return this.retry();
    if (response.type === 'version') {
      this.version = response;
      this.step('settings');
    } else if (response.type === 'settings') {
      this.battery = response.battery;
      if (response.locked) return this.finish('locked');
      this.step('notes');
    } else {
      // The clock setting is fire-and-forget: its 0x85 answer changes nothing here.
      this.send(setTimeRequest(Date.now()));
      this.finish('ready');
    }
  }

  private step(state: 'version' | 'settings' | 'notes'): void {
    this.state = state;
    this.attempts = 0;
    this.request();
  }

  private request(): void {
    this.attempts += 1;
    this.send(this.state === 'version' ? versionRequest() : this.state === 'settings' ? settingsRequest() : notesRequest());
    this.stop();
    this.timer = setTimeout(() => this.retry(), this.options.timeoutMs ?? 1500);
    this.timer.unref();
  }

  private retry(): void {
    if (this.attempts <= (this.options.retries ?? 1)) this.request();
    else {
      this.failedStep = this.state as 'version' | 'settings' | 'notes';
      this.finish('unresponsive');
    }
  }

  private finish(outcome: SessionOutcome): void {
    this.stop();
    this.state = outcome;
    this.onOutcome(outcome, this);
  }
}
