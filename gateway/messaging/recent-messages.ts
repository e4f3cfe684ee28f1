export interface RecentMessage {
  at: string;
  topic: string;
  schema: string;
  bytes: number;
  direction: 'out' | 'in';
}

/** A fixed-size ring of what went over the wire, for the status page; payloads are never kept. */
export class RecentMessages {
  private readonly items: RecentMessage[] = [];

  constructor(private readonly capacity = 50) {}

  add(item: RecentMessage): void {
    this.items.push(item);
    if (this.items.length > this.capacity) this.items.shift();
  }

  /** Newest first. */
  list(): RecentMessage[] {
    return [...this.items].reverse();
  }
}
