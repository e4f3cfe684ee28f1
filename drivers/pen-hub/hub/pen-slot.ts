import type { DeviceEvent } from '../../../gateway/devices/device.js';
import type { HubEvent, PenInfo, PenRef } from '../pen-hub.js';
import { hexCode } from '../protocol/commands.js';
import { decodePacket } from '../protocol/packet-decoder.js';
import { FrameSplitter, type FrameCounters } from '../protocol/frame-splitter.js';
import { PenSession, type SessionOptions, type SessionOutcome } from '../session/pen-session.js';

/** What a slot needs from the hub it belongs to. */
export interface SlotHost {
  emit(event: HubEvent): void;
  notify(type: string, level: DeviceEvent['level'], message: string, data?: Record<string, unknown>): void;
  countUnknown(key: string): void;
  /** Framed protocol 2.0 bytes for this slot's pen (the hub relays them). */
  sendToPen(slot: number, bytes: Buffer): void;
}

/** At or below this the teacher hears about it once, while the pen can still finish the lesson. */
const LOW_BATTERY_PERCENT = 10;

/**
 * One connected pen: its own protocol 2.0 splitter (the hub's chunks may cut frames anywhere),
 * its session, and what the gateway knows about it. Events from a locked pen are dropped.
 */
export class PenSlot {
  readonly ref: PenRef;
  private readonly splitter: FrameSplitter;
  private readonly session: PenSession | null;
  private battery: number | null = null;
  /** Whether a pen-connected event went out, so a pen-disconnected one must follow. */
  private announced = false;

  constructor(
    readonly slot: number,
    deviceId: string,
    mac: string | null,
    private readonly host: SlotHost,
    private readonly counters: FrameCounters,
    /** null: the pen was streaming before the gateway saw it connect; no handshake, just its ink. */
    session: SessionOptions | null,
  ) {
    this.ref = { pen: `${deviceId}/${slot}`, mac, receivedAt: Date.now() };
    this.splitter = new FrameSplitter(counters, (frame, length) => this.onFrame(frame, length));
    this.session = session ? new PenSession((bytes) => host.sendToPen(slot, bytes), (outcome) => this.onOutcome(outcome), session) : null;
    this.session?.start();
  }

  get buffered(): number {
    return this.splitter.buffered;
  }

  info(): PenInfo {
    const version = this.session?.version ?? null;
    return { pen: this.ref.pen, mac: this.ref.mac, model: version?.model ?? null, firmware: version?.firmware ?? null, battery: this.battery ?? this.session?.battery ?? null, ready: this.session?.state === 'ready' };
  }

  receive(bytes: Buffer, receivedAt: number): void {
    this.ref.receivedAt = receivedAt;
    this.splitter.push(bytes);
  }

  setBattery(percent: number, receivedAt: number): void {
    const before = this.battery ?? this.session?.battery ?? null;
    this.battery = percent;
    if (this.locked) return;
    this.host.emit({ pen: this.ref.pen, mac: this.ref.mac, receivedAt, type: 'battery', percent });
    if (percent <= LOW_BATTERY_PERCENT && (before === null || before > LOW_BATTERY_PERCENT)) this.lowBattery(`${percent}%`);
  }

  close(reason: string, receivedAt: number): void {
    this.session?.stop();
    this.splitter.reset();
    if (!this.announced) return;
    this.host.emit({ pen: this.ref.pen, mac: this.ref.mac, receivedAt, type: 'pen-disconnected', reason });
    this.host.notify('pen-disconnected', 'info', `pen ${this.label()} disconnected: ${reason}`, { pen: this.ref.pen, mac: this.ref.mac, reason });
  }

  /** A locked pen is not used: nothing it sends reaches the listeners. */
  private get locked(): boolean {
    return this.session?.state === 'locked';
  }

  private label(): string {
    return this.ref.mac ? `${this.ref.mac} (slot ${this.slot})` : `in slot ${this.slot}`;
  }

  private onFrame(frame: Buffer, length: number): void {
    const packet = decodePacket(frame, length, this.ref);
    switch (packet.type) {
      case 'unknown':
        return this.host.countUnknown(hexCode(packet.cmd));
      case 'malformed':
        this.counters.malformedFrames += 1;
        return;
      case 'version':
      case 'settings':
      case 'notes':
      case 'set-time':
        return this.session?.handle(packet);
      default:
        if (this.locked) return;
        if (!this.announced && this.session === null) this.announce();
        if (packet.type === 'battery-low') this.lowBattery('the pen says so');
        this.host.emit(packet);
    }
  }

  private onOutcome(outcome: SessionOutcome): void {
    const data = { pen: this.ref.pen, mac: this.ref.mac };
    if (outcome === 'locked') {
      this.host.notify('pen-locked', 'warning', `pen ${this.label()} is locked with a password: unlock it in the pen's app; its writing is ignored until then`, data);
      return;
    }
    if (outcome === 'unresponsive') {
      // Its ink, if any arrives, is still worth keeping: announce it with what is known.
      this.host.notify('pen-handshake-timeout', 'warning', `pen ${this.label()} did not answer the ${this.session?.failedStep} request: it may need restarting`, data);
    }
    this.announce();
  }

  private announce(): void {
    this.announced = true;
    const v = this.session?.version ?? null;
    this.host.emit({ ...this.ref, type: 'pen-connected', model: v?.model ?? null, firmware: v?.firmware ?? null, protocol: v?.protocol ?? null });
    if (this.session?.state === 'ready') this.host.notify('pen-connected', 'info', `pen ${this.label()} ready${v ? `: ${v.model} firmware ${v.firmware}, protocol ${v.protocol}` : ''}`, { ...this.ref, model: v?.model ?? null });
  }

  private lowBattery(why: string): void {
    this.host.notify('battery-low', 'warning', `pen ${this.label()} battery low (${why}): charge it after the lesson`, { pen: this.ref.pen, mac: this.ref.mac });
  }
}
