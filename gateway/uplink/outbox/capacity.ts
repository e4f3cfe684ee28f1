import type { OutboxPressure, Priority } from './types.js';

/**
 * The capacity policy (README.md "Capacity"), as fractions of maxBytes of disk use:
 * telemetry is accepted below 80 %, events below 100 %, results up to 110 % (the reserve
 * keeps room for results when everything else is refused). A refused message is the producer's
 * to keep and retry; nothing already accepted is ever dropped to make room.
 */
export const HIGH_FRACTION = 0.8;
export const RESULT_RESERVE_FRACTION = 0.1;

export function pressureOf(usedBytes: number, maxBytes: number): OutboxPressure {
  if (usedBytes >= maxBytes) return 'full';
  if (usedBytes >= maxBytes * HIGH_FRACTION) return 'high';
  return 'normal';
}

/** Whether a message of this priority may be stored if disk use would then be usedAfterBytes. */
export function admits(priority: Priority, usedAfterBytes: number, maxBytes: number): boolean {
  switch (priority) {
    case 'telemetry':
      return pressureOf(usedAfterBytes, maxBytes) === 'normal';
    case 'event':
      return pressureOf(usedAfterBytes, maxBytes) !== 'full';
    case 'result':
      return usedAfterBytes <= maxBytes * (1 + RESULT_RESERVE_FRACTION);
  }
}
