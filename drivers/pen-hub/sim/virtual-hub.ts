import { seeded } from '../../../gateway/util/random.js';
import { encodeEnvelope, encodePenData, ENVELOPE_VERSION, HUB_SLOT, Kind, MAX_PEN_SLOTS } from '../hub/envelope.js';
import { EnvelopeSplitter } from '../hub/envelope-splitter.js';
import { encodeDisconnected, encodeHello, encodePenConnected } from '../hub/hub-messages.js';
import type { PenScript } from '../pen-hub.js';
import { emptyCounters } from '../protocol/frame-splitter.js';
import { DEFAULT_FAULT_RATES, FaultInjector, type FaultCounts, type FaultRates } from './faults.js';
import { DOT_INTERVAL_MS, VirtualPen } from './virtual-pen.js';

export interface VirtualHubOptions {
  scripts: PenScript[];
  seed?: number;
  /** Damage the traffic (see faults.ts) and give every fifth pen old firmware (protocol 2.05). */
  faults?: boolean | FaultRates;
  /** Indices of pens that answer the settings request as locked. */
  lockedPens?: number[];
  /** Pens connect at random within this long after start(), as a class switching pens on. */
  connectWithinMs?: number;
  /** How often each pen's battery is reported. */
  batteryEveryMs?: number;
  /**
   * How often frames go out (default the pens' 8 ms): a benchmark sets 1 so a frame leaves
   * within a millisecond of the time it carries, and latency is measured from the write.
   */
  tickMs?: number;
}

export interface VirtualHubSummary extends FaultCounts {
  pens: number;
  dots: number;
  strokes: number;
  bytesOut: number;
  bytesIn: number;
}

interface Slot {
  pen: VirtualPen;
  connected: boolean;
  connectAt: number;
  batteryAt: number;
}

const FIRMWARE = '1.0.0-sim';

/**
 * A classroom pen hub in software: N pens writing their scripts at real pace, relayed in the hub
 * envelope exactly as the USB device would, answering the host's requests. `output` gets the
 * hub → host byte stream; `receive()` takes the host → hub one.
 */
export class VirtualHub {
  private readonly slots: Slot[];
  private readonly rand: () => number;
  private readonly faults: FaultInjector | null;
  private readonly requests = new EnvelopeSplitter(emptyCounters(), (kind, slot, payload) => this.onRequest(kind, slot, payload));
  private pending: Buffer[] = [];
  private timer: NodeJS.Timeout | null = null;
  private bytesOut = 0;
  private bytesIn = 0;
  private now = 0;

  constructor(
    private readonly opts: VirtualHubOptions,
    private readonly output: (bytes: Buffer) => void,
  ) {
    this.rand = seeded(opts.seed ?? 1);
    const rates = opts.faults === true ? DEFAULT_FAULT_RATES : opts.faults || null;
    this.faults = rates ? new FaultInjector(seeded((opts.seed ?? 1) + 7919), rates) : null;
    this.slots = opts.scripts.slice(0, MAX_PEN_SLOTS).map((script, i) => ({
      pen: new VirtualPen({
        script,
        identity: { model: 'NWP-F30', firmware: '1.00', protocol: this.faults && i % 5 === 4 ? '2.05' : '2.18', mac: script.mac },
        battery: 40 + Math.floor(this.rand() * 61),
        locked: opts.lockedPens?.includes(i) ?? false,
        rand: this.rand,
      }),
      connected: false,
      connectAt: 0,
      batteryAt: 0,
    }));
  }

  start(now = Date.now()): void {
    for (const slot of this.slots) {
      slot.connectAt = now + Math.floor(this.rand() * (this.opts.connectWithinMs ?? 1500));
      slot.batteryAt = slot.connectAt + 500;
    }
    this.timer = setInterval(() => this.step(Date.now()), this.opts.tickMs ?? DOT_INTERVAL_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Host → hub bytes. Answers go out with the next step, a few ms later, as over a real link. */
  receive(bytes: Buffer): void {
    this.bytesIn += bytes.length;
    this.requests.push(bytes);
  }

  summary(): VirtualHubSummary {
    const faults = this.faults?.counts ?? { garbageBytes: 0, droppedFrames: 0, truncatedFrames: 0, corruptEnvelopes: 0, disconnects: 0 };
    const sum = (f: (p: VirtualPen) => number) => this.slots.reduce((n, s) => n + f(s.pen), 0);
    return { pens: this.slots.length, dots: sum((p) => p.dots), strokes: sum((p) => p.strokes), bytesOut: this.bytesOut, bytesIn: this.bytesIn, ...faults };
  }

  /** Everything due by `now`, as one write (tests call this directly with their own clock). */
  step(now: number): void {
    this.now = now;
    const out = this.pending;
    this.pending = [];
    this.slots.forEach((slot, index) => this.stepPen(slot, index, now, out));
    const noise = this.faults?.garbage();
    if (noise) out.splice(Math.floor(this.rand() * (out.length + 1)), 0, noise);
    if (out.length === 0) return;
    const bytes = Buffer.concat(out);
    this.bytesOut += bytes.length;
    this.output(bytes);
  }

  private stepPen(slot: Slot, index: number, now: number, out: Buffer[]): void {
    if (!slot.connected && now >= slot.connectAt) {
      slot.connected = true;
      out.push(this.connected(index));
    }
    const frames: Buffer[] = [];
    // A pen keeps writing while out of range; what it writes then is lost to the live stream.
    slot.pen.pump(now, frames);
    if (!slot.connected) return;
    if (this.faults?.disconnect()) {
      slot.connected = false;
      slot.connectAt = now + 1000 + Math.floor(this.rand() * 2000);
      out.push(encodeEnvelope(Kind.penDisconnected, index, encodeDisconnected('out-of-range')));
      return;
    }
    const data = Buffer.concat(this.faults ? this.faults.frames(frames) : frames);
    // The hub forwards whatever the radio delivered: chunks cut pen frames at arbitrary places.
    for (let at = 0; at < data.length; ) {
      const size = 1 + Math.floor(this.rand() * 200);
      for (const envelope of encodePenData(index, data.subarray(at, at + size))) out.push(this.faults ? this.faults.envelope(envelope) : envelope);
      at += size;
    }
    if (now >= slot.batteryAt) {
      slot.batteryAt = now + (this.opts.batteryEveryMs ?? 30_000);
      out.push(encodeEnvelope(Kind.battery, index, Buffer.of(slot.pen.battery)));
    }
  }

  private connected(index: number): Buffer {
    const pen = this.slots[index]!.pen;
    return encodeEnvelope(Kind.penConnected, index, encodePenConnected({ mac: pen.identity.mac, name: `Neosmartpen_${index}` }));
  }

  private onRequest(kind: number, slot: number, payload: Buffer): void {
    if (kind === Kind.infoRequest) {
      this.pending.push(encodeEnvelope(Kind.hello, HUB_SLOT, encodeHello({ envelopeVersion: ENVELOPE_VERSION, slots: MAX_PEN_SLOTS, firmware: FIRMWARE })));
      this.slots.forEach((s, i) => s.connected && this.pending.push(this.connected(i)));
    } else if (kind === Kind.sendToPen) {
      const target = this.slots[slot];
      if (target?.connected) target.pen.hear(payload, this.now || Date.now());
    }
  }
}
