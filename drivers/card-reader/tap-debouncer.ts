/**
 * Turns reads into taps. An RDM6300 repeats its frame for as long as the card lies on it, and a
 * student may tap twice to be sure: a read of a card last read less than `windowMs` ago is a
 * repeat. Every read restarts the card's window, so a card held for a minute is one tap.
 */
export class TapDebouncer {
  /** Cards read within the window, with their last read (ms); pruned on every read, so it stays small. */
  readonly #lastRead = new Map<string, number>();

  constructor(private readonly windowMs: number) {}

  isNewTap(uid: string, now: number): boolean {
    for (const [card, at] of this.#lastRead) {
      if (now - at >= this.windowMs) this.#lastRead.delete(card);
    }
    const isNew = !this.#lastRead.has(uid);
    this.#lastRead.set(uid, now);
    return isNew;
  }
}
