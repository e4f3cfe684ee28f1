import type { PenScript, ScriptedStroke } from '../pen-hub.js';
import { Request } from '../protocol/commands.js';
import { encodeEvent, type PenEventBody } from '../protocol/event-encoder.js';
import { emptyCounters, FrameSplitter } from '../protocol/frame-splitter.js';
import { isOldProtocol } from '../protocol/protocol-version.js';
import { notesResponse, setTimeResponse, settingsResponse, versionResponse, type PenIdentity } from '../protocol/response-encoder.js';
import { pointAlong } from './path.js';

/** The camera's pace: one dot every ≈ 8 ms (120 frames/s). */
export const DOT_INTERVAL_MS = 8;

export interface VirtualPenOptions {
  script: PenScript;
  identity: PenIdentity;
  battery: number;
  locked?: boolean;
  rand: () => number;
}

/**
 * One simulated pen: answers the host's session requests and, once asked for notes, writes its
 * script at real pace as protocol 2.0 frames. Old-protocol pens (< 2.12) send the old event forms.
 */
export class VirtualPen {
  readonly identity: PenIdentity;
  battery: number;
  dots = 0;
  strokes = 0;
  private readonly requests = new FrameSplitter(emptyCounters(), (frame) => this.answer(frame[0]!));
  private readonly oldForm: boolean;
  private outbox: Buffer[] = [];
  private ec = 0;
  private writing = false;
  private index = 0;
  /** When the current stroke's pen-down happened (or null while lifted), and how many dots it has sent. */
  private downAt: number | null = null;
  private sent = 0;
  /** When the pen was lifted last: the next stroke's pause counts from here. */
  private liftedAt = 0;
  private heardAt = 0;

  constructor(private readonly opts: VirtualPenOptions) {
    this.identity = opts.identity;
    this.battery = opts.battery;
    this.oldForm = isOldProtocol(opts.identity.protocol);
  }

  /** Bytes the host sent this pen (protocol 2.0 requests). */
  hear(bytes: Buffer, now: number): void {
    this.heardAt = now;
    this.requests.push(bytes);
  }

  /** Everything the pen has to say up to `now`, frame by frame. */
  pump(now: number, out: Buffer[]): void {
    out.push(...this.outbox);
    this.outbox = [];
    if (!this.writing || this.opts.locked) return;
    for (;;) {
      const stroke = this.opts.script.strokes[this.index % this.opts.script.strokes.length];
      if (!stroke || !this.writeStroke(stroke, now, out)) return;
    }
  }

  /** Advances the current stroke to `now`; true when it finished (the next one may start). */
  private writeStroke(stroke: ScriptedStroke, now: number, out: Buffer[]): boolean {
    if (this.downAt === null) {
      const start = this.liftedAt + stroke.pauseBeforeMs;
      if (now < start) return false;
      this.downAt = start;
      this.sent = 0;
      out.push(this.event({ type: 'down', ec: 0, at: start, tip: 'pen', color: 0xff000000 }));
      out.push(this.event({ type: 'paper', ec: 0, ...stroke.address }));
    }
    const total = dotsIn(stroke);
    while (this.sent < total) {
      if (this.downAt + this.sent * DOT_INTERVAL_MS > now) return false;
      const { x, y } = pointAlong(stroke.points, total === 1 ? 0 : this.sent / (total - 1));
      out.push(this.event({ type: 'dot', ec: 0, dtMs: this.sent === 0 ? 0 : DOT_INTERVAL_MS, force: 300 + Math.floor(this.opts.rand() * 400), x, y, tiltX: 60, tiltY: 70, twist: 0 }));
      this.sent += 1;
      this.dots += 1;
    }
    const upAt = this.downAt + Math.max(stroke.durationMs, (total - 1) * DOT_INTERVAL_MS);
    if (now < upAt) return false;
    // Images: the camera took a few more than it turned into dots, as a real pen reports.
    const images = { total: total + 2, processed: total, succeeded: total, sent: total };
    out.push(this.event({ type: 'up', ec: 0, at: upAt, dotCount: total, images }));
    this.downAt = null;
    this.liftedAt = upAt;
    this.index += 1;
    this.strokes += 1;
    return true;
  }

  /** Stamps the event counter (u8, wrapping) or drops it for old firmware, and frames the event. */
  private event(body: PenEventBody): Buffer {
    if ('ec' in body) {
      body.ec = this.oldForm ? null : this.ec;
      this.ec = (this.ec + 1) & 0xff;
    }
    return encodeEvent(body);
  }

  private answer(cmd: number): void {
    if (cmd === Request.version) this.outbox.push(versionResponse(this.identity));
    else if (cmd === Request.settings) this.outbox.push(settingsResponse({ locked: this.opts.locked === true, battery: this.battery }));
    else if (cmd === Request.setTime) this.outbox.push(setTimeResponse());
    else if (cmd === Request.notes) {
      this.outbox.push(notesResponse());
      // Writing starts now; asked again after a reconnect, the pen carries on where it was.
      if (!this.writing) this.liftedAt = this.heardAt;
      this.writing = true;
    }
  }
}

/** Dots in one stroke at 120 Hz, at least two so every stroke has a start and an end. */
export function dotsIn(stroke: ScriptedStroke): number {
  return Math.max(2, Math.round(stroke.durationMs / DOT_INTERVAL_MS) + 1);
}
