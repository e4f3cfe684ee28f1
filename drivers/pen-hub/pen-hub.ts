/**
 * The pen hub's one interface. A classroom hub (USB, CDC-ACM serial) relays up to 64 dot-pattern
 * pens; the real serial transport and the simulator both implement `PenHub`, and everything
 * downstream (gateway/pens/) sees only the events below.
 *
 * Coordinates are Ncode units (1 unit = 56/600 inch ≈ 2.371 mm) from the top-left of the printed
 * pattern, with the fraction already added (x + fx × 0.01). Times are milliseconds since the epoch.
 */

/** Which pen: the hub's slot number for it, and its Bluetooth address once the hub reports it. */
export interface PenRef {
  /** Stable for as long as the pen stays connected: `<hub device id>/<slot>`, e.g. "pen-hub-1/7". */
  pen: string;
  /** Bluetooth MAC, "9C:7B:D2:00:11:22"; the key that ties a pen to a student across reconnects. */
  mac: string | null;
  /** Local clock (Date.now()) when the hub's frame carrying this event was parsed. */
  receivedAt: number;
}

/** Protocol 2.0 event counter: u8, wraps 255 → 0; null for old firmware (before 2.12), which has none. */
export type EventCounter = number | null;

export type PenEvent =
  | (PenRef & { type: 'down'; ec: EventCounter; at: number; tip: 'pen' | 'eraser'; color: number })
  | (PenRef & { type: 'paper'; ec: EventCounter; section: number; owner: number; note: number; page: number })
  | (PenRef & { type: 'dot'; ec: EventCounter; dtMs: number; force: number; x: number; y: number; tiltX: number; tiltY: number; twist: number })
  | (PenRef & {
      type: 'up';
      ec: EventCounter;
      at: number;
      /** Dots the pen says it sent in this stroke (null on old firmware): the per-stroke loss check. */
      dotCount: number | null;
      /** Camera images the pen processed and sent; `sentImg` < `procImg` means the pen itself dropped dots. */
      images: { total: number; processed: number; succeeded: number; sent: number } | null;
    })
  | (PenRef & { type: 'error-dot'; ec: EventCounter; dtMs: number; force: number })
  | (PenRef & { type: 'battery-low' })
  | (PenRef & { type: 'power-off' });

/** What the hub says about its pens, in our envelope (see HUB-PROTOCOL.md). */
export type HubStatusEvent =
  | (PenRef & { type: 'pen-connected'; model: string | null; firmware: string | null; protocol: string | null })
  | (PenRef & { type: 'pen-disconnected'; reason: string })
  | (PenRef & { type: 'battery'; percent: number });

export type HubEvent = PenEvent | HubStatusEvent;

export interface PenInfo {
  pen: string;
  mac: string | null;
  model: string | null;
  firmware: string | null;
  battery: number | null;
  /** Handshake done (version, settings, notes) and dots flowing. */
  ready: boolean;
}

/** Everything the parser threw away or repaired, counted: shown in telemetry and the benchmark. */
export interface HubStats {
  bytes: number;
  frames: number;
  /** Bytes skipped while looking for the next frame start. */
  garbageBytes: number;
  /** Frames longer than the limit (32 KiB pen packets), dropped whole. */
  oversizeFrames: number;
  /** Frames that ended early, failed their check or did not decode. */
  malformedFrames: number;
  /** Commands nobody here knows, by hex code ("0x7f": 3): counted and skipped. */
  unknownCommands: Record<string, number>;
}

export interface PenHub {
  onEvent(listener: (event: HubEvent) => void): () => void;
  pens(): PenInfo[];
  stats(): HubStats;
}

/** A printed page's dot-pattern address: section / owner / note (book) / page ("SOBP"). */
export interface PaperAddress {
  section: number;
  owner: number;
  note: number;
  page: number;
}

/**
 * What a simulated pen writes, stroke by stroke: the in-process simulator and
 * `scripts/pens/simulate-hub.ts` turn it into protocol 2.0 traffic at the pen's real pace
 * (a dot every ~8 ms along each path). Made by gateway/pens/demo/ from a workbook page, or random.
 */
export interface PenScript {
  mac: string;
  strokes: ScriptedStroke[];
}

export interface ScriptedStroke {
  address: PaperAddress;
  /** Ncode units; the simulator places dots along this path. */
  points: { x: number; y: number }[];
  /** How long the pen takes to draw it. */
  durationMs: number;
  /** Pen lifted this long before the stroke starts (thinking, moving to the next question). */
  pauseBeforeMs: number;
}
