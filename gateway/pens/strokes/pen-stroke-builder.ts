import type { PaperAddress, PenEvent } from '../../../drivers/pen-hub/pen-hub.js';
import { DEFAULT_LIMITS, isValidCoordinate, type PenLimits } from './limits.js';
import { DotTrail } from './dot-trail.js';
import { emptyCounters, sameAddress, type PenCounters, type Stroke, type StrokeRepair } from './stroke.js';

/** A dot further than this (Ncode units) from both neighbours, on the same side, is a camera misread. */
export const SPIKE_UNITS = 10;

type SyntheticUpReason = Extract<StrokeRepair, { kind: 'synthetic-up' }>['because'];

interface OpenStroke {
  stroke: Stroke;
  /** Dot events that arrived for this stroke, kept or not: compared with the pen-up's count. */
  received: number;
  spikes: number;
  outOfRange: number;
  missed: number;
  /** Times come from the gateway's clock: the pen-up's own timestamp is on another clock. */
  localClock: boolean;
}

/**
 * One pen's events, in arrival order, become finished strokes, repaired the way the protocol 2.0
 * SDKs repair a live stream (nothing can be re-requested). Constant work per dot; the only
 * allocation per dot is the dot itself.
 */
export class PenStrokeBuilder {
  readonly counters: PenCounters = emptyCounters();
  private address: PaperAddress | null = null;
  /** The last paper info named a page outside the valid range: its dots are dropped. */
  private addressInvalid = false;
  private down: { at: number; eraser: boolean; color: number } | null = null;
  /** Cut by a page change with the pen still down: the next dots continue on the pen's clock. */
  private cutMidStroke = false;
  private open: OpenStroke | null = null;
  private lastEc: number | null = null;
  /** Pen clock of the last dot kept. */
  private clock = 0;
  /** Local time of the pen's last event, for silence detection. */
  lastEventAt = 0;

  constructor(
    private readonly emit: (stroke: Stroke) => void,
    private readonly limits: PenLimits = DEFAULT_LIMITS,
  ) {}

  push(event: PenEvent): void {
    this.lastEventAt = event.receivedAt;
    if ('ec' in event) this.checkCounter(event.ec);
    switch (event.type) {
      case 'down':
        if (this.open) this.close('new-down');
        this.down = { at: event.at, eraser: event.tip === 'eraser', color: event.color };
        this.clock = event.at;
        this.cutMidStroke = false;
        return;
      case 'paper':
        return this.paper(event);
      case 'dot':
        return this.dot(event);
      case 'up':
        if (this.open) this.finish(event.at, event.dotCount);
        this.down = null;
        this.cutMidStroke = false;
        return;
      case 'error-dot':
        this.counters.errorDots++;
        return;
      case 'battery-low':
        return;
      case 'power-off':
        return this.silence('power-off');
    }
  }

  /** The pen stopped talking (powered off, disconnected, or silent too long): its open stroke ends here. */
  silence(because: 'power-off' | 'disconnected' | 'silent'): void {
    if (this.open) this.close(because);
    this.down = null;
    this.cutMidStroke = false;
    if (because === 'silent') return;
    // A pen that comes back starts a new session: counter afresh, paper info sent again.
    this.lastEc = null;
    this.address = null;
  }

  get writing(): boolean {
    return this.open !== null;
  }

  private checkCounter(ec: number | null): void {
    if (ec === null) return;
    if (this.lastEc !== null) {
      const missed = (ec - this.lastEc - 1 + 256) % 256;
      if (missed > 0) {
        this.counters.ecGaps++;
        this.counters.missedEvents += missed;
        if (this.open) this.open.missed += missed;
      }
    }
    this.lastEc = ec;
  }

  private paper(event: PaperAddress): void {
    const address = { section: event.section, owner: event.owner, note: event.note, page: event.page };
    const changed = this.address === null || !sameAddress(this.address, address);
    if (changed && this.open) {
      this.close('page-change');
      this.cutMidStroke = this.down !== null;
    }
    this.address = address;
    this.addressInvalid = !this.limits.isValidAddress(address);
  }

  private dot(event: Extract<PenEvent, { type: 'dot' }>): void {
    if (this.address === null) {
      this.counters.droppedBeforePaper++;
      return;
    }
    if (this.addressInvalid) {
      this.counters.droppedOutOfRange++;
      return;
    }
    const open = this.open ?? this.start(event);
    open.received++;
    this.clock += event.dtMs;
    if (!isValidCoordinate(this.limits, event.x, event.y)) {
      open.outOfRange++;
      this.counters.droppedOutOfRange++;
      return;
    }
    const dots = open.stroke.dots;
    dots.push(event.x, event.y, this.clock, event.force);
    this.counters.dots++;
    if (dots.length >= 3 && isSpike(dots, dots.length - 2)) {
      dots.remove(dots.length - 2);
      open.spikes++;
      this.counters.spikes++;
      this.counters.dots--;
    }
  }

  private start(event: PenEvent): OpenStroke {
    const repairs: StrokeRepair[] = [];
    const localClock = this.down === null;
    if (localClock) {
      repairs.push({ kind: 'opened-without-down', clock: 'local' });
      this.clock = event.receivedAt;
    } else if (this.cutMidStroke) {
      repairs.push({ kind: 'opened-without-down', clock: 'pen' });
    }
    this.cutMidStroke = false;
    const stroke: Stroke = {
      pen: event.pen,
      mac: event.mac,
      address: this.address!,
      eraser: this.down?.eraser ?? false,
      color: this.down?.color ?? null,
      startedAt: this.clock,
      endedAt: this.clock,
      dots: new DotTrail(),
      repairs,
      lostDots: null,
    };
    this.open = { stroke, received: 0, spikes: 0, outOfRange: 0, missed: 0, localClock };
    return this.open;
  }

  private close(because: SyntheticUpReason): void {
    this.open!.stroke.repairs.push({ kind: 'synthetic-up', because });
    this.finish(this.clock, null);
  }

  private finish(upAt: number, dotCount: number | null): void {
    const { stroke, received, spikes, outOfRange, missed, localClock } = this.open!;
    this.open = null;
    if (missed) stroke.repairs.push({ kind: 'missed-events', count: missed });
    if (spikes) stroke.repairs.push({ kind: 'spikes-dropped', count: spikes });
    if (outOfRange) stroke.repairs.push({ kind: 'out-of-range-dropped', count: outOfRange });
    if (dotCount !== null) {
      stroke.lostDots = Math.max(0, dotCount - received);
      this.counters.lostDots += stroke.lostDots;
    }
    const dots = stroke.dots;
    if (dots.length === 0) return;
    dots.fit();
    stroke.startedAt = dots.t(0);
    const last = dots.t(dots.length - 1);
    stroke.endedAt = localClock ? last : Math.max(last, upAt);
    this.counters.strokes++;
    if (stroke.repairs.length) this.counters.repaired++;
    this.emit(stroke);
  }
}

/** `q` lies more than SPIKE_UNITS beyond both `p` and `r`, on the same side. */
function standsOut(p: number, q: number, r: number): boolean {
  return (q - p > SPIKE_UNITS && q - r > SPIKE_UNITS) || (p - q > SPIKE_UNITS && r - q > SPIKE_UNITS);
}

/** Dot `i` is a spike between its neighbours, in x or in y. Called for every dot: no allocation here. */
function isSpike(dots: DotTrail, i: number): boolean {
  return standsOut(dots.x(i - 1), dots.x(i), dots.x(i + 1)) || standsOut(dots.y(i - 1), dots.y(i), dots.y(i + 1));
}
