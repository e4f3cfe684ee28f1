/**
 * Keeps one device running: restarts it with exponential backoff after it fails, restarts it at
 * once when its USB device is plugged in, parks it as 'disconnected' when unplugged, and stops it
 * within a bounded time. The registry owns one supervisor per configured device.
 */
import type { Logger } from '../log/logger.js';
import type { Device, DeviceEvent, DeviceInfo } from './device.js';
import { TimeoutError, withTimeout } from './timeout.js';

export interface BackoffOptions {
  /** First restart delay. */
  initialMs: number;
  /** The delay doubles per consecutive failure up to this; it is also the polling period for absent hardware. */
  maxMs: number;
  /** A device ready this long before failing counts as recovered: the next delay starts again at initialMs. */
  stableMs: number;
}

export interface SupervisorOptions {
  backoff: BackoffOptions;
  startTimeoutMs: number;
  stopTimeoutMs: number;
  /** False for placeholders (no driver, bad options): retrying cannot fix configuration. */
  restartable: boolean;
  logger: Logger;
  onEvent: (event: DeviceEvent) => void;
}

export interface ManagedDeviceInfo extends DeviceInfo {
  enabled: boolean;
  restarts: number;
  nextRestartAt?: string;
}

export type StopOutcome = 'stopped' | 'timeout' | 'failed';

/** 'running': keep it up; 'unplugged': wait for attach; 'stopped': leave it alone. */
type Mode = 'idle' | 'running' | 'unplugged' | 'stopped';

export class DeviceSupervisor {
  restarts = 0;
  #mode: Mode = 'idle';
  #attempt = 0;
  #readySince: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** Set while a restart releases the old run, whose own stop errors must not schedule another. */
  #releasing = false;
  #nextRestartAt: Date | undefined;

  constructor(
    readonly device: Device,
    readonly enabled: boolean,
    private readonly options: SupervisorOptions,
  ) {
    device.on('state', (info) => this.#onState(info));
  }

  info(): ManagedDeviceInfo {
    const info: ManagedDeviceInfo = { ...this.device.info(), enabled: this.enabled, restarts: this.restarts };
    if (this.#nextRestartAt) info.nextRestartAt = this.#nextRestartAt.toISOString();
    return info;
  }

  /** Resolves when the device is up, has failed (restart scheduled) or startTimeoutMs passed. */
  async start(): Promise<void> {
    if (!this.enabled || this.#mode === 'running') return;
    this.#mode = 'running';
    await this.#start();
  }

  async attach(): Promise<void> {
    if (!this.enabled || this.#mode === 'idle' || this.#mode === 'stopped') return;
    const { state } = this.device.info();
    // Already working: this is another unit with the same ids, and restarting would cut off a scan.
    if (this.#mode === 'running' && (state === 'ready' || state === 'busy')) return;
    this.#cancelRestart();
    this.#attempt = 0;
    this.#mode = 'running';
    this.#event('usb-attach', 'info', 'USB device plugged in: restarting');
    await this.#restart();
  }

  async detach(): Promise<void> {
    if (this.#mode !== 'running') return;
    this.#cancelRestart();
    this.#mode = 'unplugged';
    this.#event('usb-detach', 'warning', 'USB device unplugged');
    try {
      await withTimeout(this.device.disconnect('USB device unplugged'), this.options.stopTimeoutMs, `disconnect ${this.device.id}`);
    } catch (err) {
      this.options.logger.warn({ err, device: this.device.id }, 'disconnect did not finish cleanly');
    }
  }

  async stop(): Promise<StopOutcome> {
    // A disabled device never ran; stopping it would only erase its "disabled in settings" detail.
    if (!this.enabled) return 'stopped';
    this.#mode = 'stopped';
    this.#cancelRestart();
    try {
      await withTimeout(this.device.stop(), this.options.stopTimeoutMs, `stop ${this.device.id}`);
      return 'stopped';
    } catch (err) {
      this.options.logger.warn({ err, device: this.device.id }, 'device did not stop cleanly');
      return err instanceof TimeoutError ? 'timeout' : 'failed';
    }
  }

  #onState(info: DeviceInfo): void {
    if (info.state === 'ready' || info.state === 'busy') this.#readySince ??= Date.now();
    else if (info.state === 'error') this.#scheduleRestart();
    else this.#readySince = undefined;
  }

  async #start(): Promise<void> {
    try {
      await withTimeout(this.device.start(), this.options.startTimeoutMs, `start ${this.device.id}`);
    } catch (err) {
      if (err instanceof TimeoutError) {
        // Still trying (a slow SANE probe, say): stop waiting; if it fails later, its error state restarts it.
        this.options.logger.warn({ device: this.device.id }, err.message);
        return;
      }
      // A BaseDevice has already announced 'error'; this covers devices that only reject.
      this.#scheduleRestart();
    }
  }

  #scheduleRestart(): void {
    if (this.#timer || this.#releasing || !this.options.restartable || this.#mode !== 'running') return;
    const { initialMs, maxMs, stableMs } = this.options.backoff;
    if (this.#readySince !== undefined && Date.now() - this.#readySince >= stableMs) this.#attempt = 0;
    this.#readySince = undefined;
    const delayMs = Math.min(maxMs, initialMs * 2 ** this.#attempt);
    this.#attempt++;
    this.#nextRestartAt = new Date(Date.now() + delayMs);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#nextRestartAt = undefined;
      void this.#restart();
    }, delayMs);
    this.#event('restart-scheduled', 'warning', `restarting in ${delayMs} ms (attempt ${this.#attempt})`, {
      delayMs,
      attempt: this.#attempt,
      restarts: this.restarts,
    });
  }

  async #restart(): Promise<void> {
    this.restarts++;
    this.#releasing = true;
    try {
      // Release whatever the failed run still holds before opening the hardware again.
      await withTimeout(this.device.stop(), this.options.stopTimeoutMs, `stop ${this.device.id}`);
    } catch (err) {
      this.options.logger.warn({ err, device: this.device.id }, 'stop before restart failed; starting anyway');
    } finally {
      this.#releasing = false;
    }
    // stopAll or an unplug may have come while we were stopping.
    if (this.#mode !== 'running') return;
    await this.#start();
  }

  #cancelRestart(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#nextRestartAt = undefined;
  }

  #event(type: string, level: DeviceEvent['level'], message: string, data?: Record<string, unknown>): void {
    const event: DeviceEvent = { device: this.device.id, type, level, message };
    if (data) event.data = data;
    this.options.onEvent(event);
  }
}
