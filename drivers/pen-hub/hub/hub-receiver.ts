import type { Logger } from '../../../gateway/log/logger.js';
import type { HubEvent, HubStats, PenHub, PenInfo } from '../pen-hub.js';
import { hexCode } from '../protocol/commands.js';
import { emptyCounters } from '../protocol/frame-splitter.js';
import type { SessionOptions } from '../session/pen-session.js';
import { encodeEnvelope, ENVELOPE_VERSION, HUB_SLOT, Kind, MAX_PEN_SLOTS } from './envelope.js';
import { EnvelopeSplitter } from './envelope-splitter.js';
import { decodeBattery, decodeDisconnected, decodeHello, decodePenConnected, type HubHello } from './hub-messages.js';
import { PenSlot, type SlotHost } from './pen-slot.js';

export interface HubReceiverOptions {
  deviceId: string;
  logger: Logger;
  /** Host → hub bytes (envelopes) onto the transport. */
  write: (bytes: Buffer) => void;
  notify: SlotHost['notify'];
  session?: SessionOptions;
  /** At most one malformed-traffic warning this often. */
  warnEveryMs?: number;
}

/**
 * Everything between the hub's byte stream and HubEvents, transport-free: envelopes, demux by
 * slot, per-pen sessions, listener fan-out and the counts. The serial port and the simulator both
 * feed `receive()`, so they share one parsing path. Delivery is synchronous: no queue, no timer.
 */
export class HubReceiver implements PenHub, SlotHost {
  private readonly counters = emptyCounters();
  private readonly unknown: Record<string, number> = {};
  private readonly envelopes = new EnvelopeSplitter(this.counters, (kind, slot, payload, version) => this.onEnvelope(kind, slot, payload, version));
  private readonly slots = new Map<number, PenSlot>();
  private listeners: ((event: HubEvent) => void)[] = [];
  private bytes = 0;
  private receivedAt = 0;
  private hub: HubHello | null = null;
  private warnedBad = 0;
  private warnedAt = 0;
  private listenerFailures = 0;

  constructor(private readonly opts: HubReceiverOptions) {}

  /** Ask the hub who it is; it answers hello, then pen-connected for each pen it already holds. */
  open(): void {
    this.opts.write(encodeEnvelope(Kind.infoRequest, HUB_SLOT));
  }

  receive(chunk: Buffer): void {
    this.bytes += chunk.length;
    this.receivedAt = Date.now();
    this.envelopes.push(chunk);
    this.warnIfBad();
  }

  /** The transport is gone: every pen is gone with it. */
  close(reason: string): void {
    for (const slot of this.slots.values()) slot.close(reason, Date.now());
    this.slots.clear();
    this.envelopes.reset();
    this.hub = null;
  }

  onEvent(listener: (event: HubEvent) => void): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  pens(): PenInfo[] {
    return [...this.slots.values()].map((s) => s.info());
  }

  stats(): HubStats {
    return { bytes: this.bytes, ...this.counters, unknownCommands: { ...this.unknown } };
  }

  hello(): HubHello | null {
    return this.hub;
  }

  /** Bytes held for unfinished envelopes and pen frames: bounded, whatever arrives. */
  buffered(): number {
    let total = this.envelopes.buffered;
    for (const slot of this.slots.values()) total += slot.buffered;
    return total;
  }

  emit(event: HubEvent): void {
    // A snapshot array: a listener that unsubscribes itself does not disturb this loop.
    const listeners = this.listeners;
    for (let i = 0; i < listeners.length; i++) {
      try {
        listeners[i]!(event);
      } catch (err) {
        this.listenerFailures += 1;
        if (this.listenerFailures === 1 || this.listenerFailures % 1000 === 0) this.opts.logger.error({ err, failures: this.listenerFailures }, 'pen event listener threw; other listeners still get the event');
      }
    }
  }

  notify(...args: Parameters<SlotHost['notify']>): void {
    this.opts.notify(...args);
  }

  countUnknown(key: string): void {
    this.unknown[key] = (this.unknown[key] ?? 0) + 1;
  }

  sendToPen(slot: number, bytes: Buffer): void {
    this.opts.write(encodeEnvelope(Kind.sendToPen, slot, bytes));
  }

  private onEnvelope(kind: number, slotNumber: number, payload: Buffer, version: number): void {
    // The frame layout is the same in every version, so an envelope from a newer one is skipped whole.
    if (version !== ENVELOPE_VERSION) return this.countUnknown(`hub-version-${version}`);
    if (kind === Kind.hello) return this.onHello(payload);
    if (slotNumber >= MAX_PEN_SLOTS) return this.malformed();
    const slot = this.slots.get(slotNumber);
    switch (kind) {
      case Kind.penData:
        return (slot ?? this.addSlot(slotNumber, null, null)).receive(payload, this.receivedAt);
      case Kind.penConnected: {
        const pen = decodePenConnected(payload);
        if (!pen) return this.malformed();
        // Announced again (the hub re-lists its pens after an info request): start afresh.
        slot?.close('reconnected', this.receivedAt);
        this.addSlot(slotNumber, pen.mac, this.opts.session ?? {});
        return;
      }
      case Kind.penDisconnected: {
        const reason = decodeDisconnected(payload);
        if (reason === null) return this.malformed();
        slot?.close(reason, this.receivedAt);
        this.slots.delete(slotNumber);
        return;
      }
      case Kind.battery: {
        const percent = decodeBattery(payload);
        if (percent === null) return this.malformed();
        return slot?.setBattery(percent, this.receivedAt);
      }
      default:
        this.countUnknown(`hub-kind-${hexCode(kind)}`);
    }
  }

  private onHello(payload: Buffer): void {
    const hello = decodeHello(payload);
    if (!hello) return this.malformed();
    this.hub = hello;
    const newer = hello.envelopeVersion > ENVELOPE_VERSION ? ` (it also speaks envelope v${hello.envelopeVersion}; this gateway uses v${ENVELOPE_VERSION})` : '';
    this.opts.notify('hub-hello', 'info', `pen hub firmware ${hello.firmware}, ${hello.slots} pen slots${newer}`, { ...hello });
  }

  private addSlot(slotNumber: number, mac: string | null, session: SessionOptions | null): PenSlot {
    const slot = new PenSlot(slotNumber, this.opts.deviceId, mac, this, this.counters, session);
    this.slots.set(slotNumber, slot);
    return slot;
  }

  private malformed(): void {
    this.counters.malformedFrames += 1;
  }

  /** Bad traffic is normal in small doses (radio noise): say so at most once per interval, with counts. */
  private warnIfBad(): void {
    const { garbageBytes, oversizeFrames, malformedFrames } = this.counters;
    const bad = garbageBytes + oversizeFrames + malformedFrames;
    if (bad === this.warnedBad || this.receivedAt - this.warnedAt < (this.opts.warnEveryMs ?? 10_000)) return;
    this.warnedBad = bad;
    this.warnedAt = this.receivedAt;
    this.opts.notify('malformed-traffic', 'warning', `pen hub sent damaged traffic: ${garbageBytes} garbage bytes, ${malformedFrames} malformed and ${oversizeFrames} oversize frames so far; parsing continues`, { garbageBytes, malformedFrames, oversizeFrames });
  }
}
