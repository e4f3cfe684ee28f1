/** How often each fault happens; the defaults make a 40-pen class show every kind within a minute. */
export interface FaultRates {
  /** Per hub step (8 ms): random bytes between envelopes, as a noisy USB link would give. */
  garbage: number;
  /** Per pen frame: lost on the radio (an event-counter gap), cut short, or noise in the pen's stream. */
  dropFrame: number;
  truncateFrame: number;
  penNoise: number;
  /** Per envelope: one byte flipped, so its CRC fails. */
  corruptEnvelope: number;
  /** Per pen per step: the pen drops off the hub and comes back 1–3 s later. */
  disconnect: number;
}

export const DEFAULT_FAULT_RATES: FaultRates = {
  garbage: 0.02,
  dropFrame: 0.002,
  truncateFrame: 0.002,
  penNoise: 0.001,
  corruptEnvelope: 0.002,
  disconnect: 1 / (125 * 60),
};

export interface FaultCounts {
  garbageBytes: number;
  droppedFrames: number;
  truncatedFrames: number;
  corruptEnvelopes: number;
  disconnects: number;
}

/** Damages simulated traffic on purpose, reproducibly (seeded), and counts what it did. */
export class FaultInjector {
  readonly counts: FaultCounts = { garbageBytes: 0, droppedFrames: 0, truncatedFrames: 0, corruptEnvelopes: 0, disconnects: 0 };

  constructor(
    private readonly rand: () => number,
    private readonly rates: FaultRates = DEFAULT_FAULT_RATES,
  ) {}

  /** A pen's frames for one step, with some lost, cut short or followed by noise. */
  frames(frames: Buffer[]): Buffer[] {
    const out: Buffer[] = [];
    for (const f of frames) {
      const r = this.rand();
      if (r < this.rates.dropFrame) {
        this.counts.droppedFrames += 1;
        continue;
      }
      if (r < this.rates.dropFrame + this.rates.truncateFrame) {
        this.counts.truncatedFrames += 1;
        out.push(f.subarray(0, Math.max(1, f.length >> 1)));
        continue;
      }
      out.push(f);
      if (this.rand() < this.rates.penNoise) out.push(this.noise());
    }
    return out;
  }

  envelope(envelope: Buffer): Buffer {
    if (this.rand() >= this.rates.corruptEnvelope) return envelope;
    this.counts.corruptEnvelopes += 1;
    const copy = Buffer.from(envelope);
    const at = 2 + Math.floor(this.rand() * (copy.length - 2));
    copy[at] = copy[at]! ^ (1 + Math.floor(this.rand() * 255));
    return copy;
  }

  garbage(): Buffer | null {
    return this.rand() < this.rates.garbage ? this.noise() : null;
  }

  disconnect(): boolean {
    const yes = this.rand() < this.rates.disconnect;
    if (yes) this.counts.disconnects += 1;
    return yes;
  }

  private noise(): Buffer {
    const bytes = Buffer.alloc(1 + Math.floor(this.rand() * 40));
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(this.rand() * 256);
    this.counts.garbageBytes += bytes.length;
    return bytes;
  }
}
