import { BaseDevice, type DeviceAction, type Transport } from '../../gateway/devices/device.js';
import type { Logger } from '../../gateway/log/logger.js';
import type { CardReader, CardReaderStats, CardTap } from './card-reader.js';
import { TapDebouncer } from './tap-debouncer.js';

export interface CardReaderDeviceOptions {
  id: string;
  transport: Transport;
  logger: Logger;
  /** Reads of the same card closer together than this are one tap; 0 reports every read. */
  debounceMs: number;
}

/**
 * A card reader as a gateway device (kind `card-reader`). Transports call `accept()` with each
 * card number they read; debouncing, fan-out and the counts are here, shared by all of them.
 */
export abstract class CardReaderDevice extends BaseDevice implements CardReader {
  /** Transports that parse bytes count into this too (bytes, garbage, checksums). */
  protected readonly counts: CardReaderStats = { bytes: 0, reads: 0, taps: 0, repeats: 0, garbageBytes: 0, badChecksums: 0, malformed: 0, oversize: 0 };
  readonly #debouncer: TapDebouncer;
  #listeners: ((tap: CardTap) => void)[] = [];

  constructor(options: CardReaderDeviceOptions) {
    super({ id: options.id, kind: 'card-reader', transport: options.transport, logger: options.logger });
    this.#debouncer = new TapDebouncer(options.debounceMs);
  }

  onCard(listener: (tap: CardTap) => void): () => void {
    this.#listeners = [...this.#listeners, listener];
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  stats(): CardReaderStats {
    return { ...this.counts };
  }

  override actions(): Readonly<Record<string, DeviceAction>> {
    return { stats: async () => this.stats() };
  }

  /** A card number (upper-case hex) just read: the tap it makes, or null for a repeat. */
  protected accept(uid: string): CardTap | null {
    this.counts.reads++;
    const now = Date.now();
    if (!this.#debouncer.isNewTap(uid, now)) {
      this.counts.repeats++;
      return null;
    }
    this.counts.taps++;
    const tap: CardTap = { uid, at: new Date(now).toISOString(), reader: this.id };
    for (const listener of this.#listeners) {
      try {
        listener(tap);
      } catch (err) {
        // One broken consumer (say the mirror's check-in) must not cost the others their taps.
        this.logger.error({ err, uid }, 'a card tap listener failed');
      }
    }
    return tap;
  }
}
