import type { Alarm } from '../contract/types.generated.js';
import type { Logger } from '../log/logger.js';

export interface ActiveAlarm {
  code: string;
  severity: Alarm['severity'];
  message: string;
  since: string;
}

export type AlarmSink = (alarm: Alarm) => Promise<unknown>;

/**
 * Alarms are published on change only: raising an active alarm again updates its message
 * without a new message, so a condition checked every few seconds does not flood the district.
 */
export class AlarmCenter {
  private readonly active = new Map<string, ActiveAlarm>();

  constructor(
    private readonly sink: AlarmSink,
    private readonly logger: Logger,
  ) {}

  raise(code: string, severity: Alarm['severity'], message: string, details?: Record<string, unknown>): void {
    const existing = this.active.get(code);
    if (existing && existing.severity === severity) {
      existing.message = message;
      return;
    }
    this.active.set(code, { code, severity, message, since: existing?.since ?? new Date().toISOString() });
    this.logger.warn({ alarm: code, severity }, message);
    this.send({ code, severity, active: true, message, ...(details ? { details } : {}) });
  }

  clear(code: string, message = 'cleared'): void {
    const existing = this.active.get(code);
    if (!existing) return;
    this.active.delete(code);
    this.logger.info({ alarm: code }, message);
    this.send({ code, severity: existing.severity, active: false, message });
  }

  list(): ActiveAlarm[] {
    return [...this.active.values()];
  }

  private send(alarm: Alarm): void {
    // An alarm that cannot be queued (e.g. the outbox refuses it) is still visible locally.
    this.sink(alarm).catch((err: unknown) => this.logger.error({ err, alarm: alarm.code }, 'alarm could not be queued for the district'));
  }
}
