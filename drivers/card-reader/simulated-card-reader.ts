import type { DeviceAction } from '../../gateway/devices/device.js';
import type { Logger } from '../../gateway/log/logger.js';
import { CardReaderDevice } from './card-reader-device.js';
import type { CardTap } from './card-reader.js';
import { hexUid } from './uid.js';

export interface SimulatedCardReaderOptions {
  id: string;
  logger: Logger;
  /** Tapped in turn, one every `intervalMs` (upper-case hex); empty: only injected taps. */
  cards: readonly string[];
  intervalMs: number;
  debounceMs: number;
}

/**
 * A card reader with no hardware, for demos and tests: taps its cards in turn on a timer, and
 * `tap()` (or the `tap` device action, `{"uid":"04A224B2C35E80"}`) taps any card now. Taps go
 * through the same debouncing as a real reader's reads.
 */
export class SimulatedCardReader extends CardReaderDevice {
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: SimulatedCardReaderOptions) {
    super({ id: opts.id, transport: 'simulated', logger: opts.logger, debounceMs: opts.debounceMs });
  }

  /** Taps `uid` (hex, separators allowed) now: the tap, or null when it repeats one within the debounce window. */
  tap(uid: string): CardTap | null {
    const card = hexUid(uid);
    if (card === null) throw new Error(`not a card uid: ${JSON.stringify(uid)} (hex digits, e.g. "04A224B2C35E80")`);
    if (this.info().state !== 'ready') throw new Error(`the simulated card reader ${this.id} is ${this.info().state}, not ready`);
    return this.accept(card);
  }

  override actions(): Readonly<Record<string, DeviceAction>> {
    return {
      ...super.actions(),
      tap: async (args) => {
        const uid = (args as { uid?: unknown } | null)?.uid;
        if (typeof uid !== 'string') throw new Error('tap: args must be {"uid":"<hex card uid>"}');
        return { tap: this.tap(uid) };
      },
    };
  }

  protected override async onStart(): Promise<void> {
    const { cards, intervalMs } = this.opts;
    let next = 0;
    if (cards.length > 0) this.#timer = setInterval(() => this.accept(cards[next++ % cards.length]!), intervalMs);
    this.setState('ready', cards.length > 0 ? `simulated reader, ${cards.length} card${cards.length === 1 ? '' : 's'} tapped every ${intervalMs / 1000} s` : 'simulated reader, injected taps only');
  }

  protected override async onStop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
