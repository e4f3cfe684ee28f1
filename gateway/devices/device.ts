/**
 * The contract every device driver implements (drivers/<kind>/, real transport and simulator
 * alike) and BaseDevice, which does the state bookkeeping so a driver only writes onStart/onStop.
 * The registry (registry.ts) supervises devices through this interface only.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from '../log/logger.js';

export type DeviceState = 'stopped' | 'starting' | 'ready' | 'busy' | 'error' | 'disconnected';
export type Transport = 'real' | 'simulated';

export interface DeviceInfo {
  id: string;
  kind: string;
  transport: Transport;
  state: DeviceState;
  /** Human-readable context for the state, e.g. "scanning page 2" or the error message. */
  detail?: string;
  /** ISO-8601 time the device entered `state`. */
  since: string;
  lastError?: { message: string; at: string };
}

export interface DeviceEvent {
  device: string;
  type: string;
  level: 'info' | 'warning' | 'error';
  message: string;
  data?: Record<string, unknown>;
}

/** One operation a device offers to the request "device" op, e.g. the scanner's `scan`. */
export type DeviceAction = (args: unknown) => Promise<unknown>;

export interface DeviceEvents {
  state: [info: DeviceInfo];
  event: [event: DeviceEvent];
}

export interface Device {
  readonly id: string;
  readonly kind: string;
  readonly transport: Transport;
  /** Resolves once the device is usable; rejects (leaving state 'error') when it cannot start. */
  start(): Promise<void>;
  /** Releases every handle; state 'stopped'. Safe in any state, and start() may follow. */
  stop(): Promise<void>;
  /** The hardware went away (USB unplug): release like stop(), then state 'disconnected'. */
  disconnect(reason: string): Promise<void>;
  info(): DeviceInfo;
  actions(): Readonly<Record<string, DeviceAction>>;
  on<K extends keyof DeviceEvents>(event: K, listener: (...args: DeviceEvents[K]) => void): this;
  off<K extends keyof DeviceEvents>(event: K, listener: (...args: DeviceEvents[K]) => void): this;
}

export interface BaseDeviceOptions {
  id: string;
  kind: string;
  transport: Transport;
  logger: Logger;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** States in which the device holds no resources, so stop()/disconnect() have nothing to release. */
const RELEASED: ReadonlySet<DeviceState> = new Set(['stopped', 'disconnected']);

export abstract class BaseDevice extends EventEmitter<DeviceEvents> implements Device {
  readonly id: string;
  readonly kind: string;
  readonly transport: Transport;
  protected readonly logger: Logger;

  #state: DeviceState = 'stopped';
  #detail: string | undefined;
  #since = new Date().toISOString();
  #lastError: { message: string; at: string } | undefined;
  // Start and stop are awaited by overlapping callers (registry restart vs. shutdown), so each
  // runs once at a time and onStop never races a half-finished onStart.
  #starting: Promise<void> | undefined;
  #stopping: Promise<void> | undefined;

  constructor(options: BaseDeviceOptions) {
    super();
    this.id = options.id;
    this.kind = options.kind;
    this.transport = options.transport;
    this.logger = options.logger.child({ device: options.id, kind: options.kind, transport: options.transport });
  }

  /** Open the hardware (or simulator). Throwing puts the device in state 'error'. */
  protected abstract onStart(): Promise<void>;
  /** Release everything onStart acquired; also called after a failed or partial start. */
  protected abstract onStop(): Promise<void>;

  actions(): Readonly<Record<string, DeviceAction>> {
    return {};
  }

  info(): DeviceInfo {
    const info: DeviceInfo = { id: this.id, kind: this.kind, transport: this.transport, state: this.#state, since: this.#since };
    if (this.#detail !== undefined) info.detail = this.#detail;
    if (this.#lastError) info.lastError = { ...this.#lastError };
    return info;
  }

  start(): Promise<void> {
    if (this.#state === 'ready' || this.#state === 'busy') return Promise.resolve();
    this.#starting ??= this.#runStart().finally(() => {
      this.#starting = undefined;
    });
    return this.#starting;
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#release().finally(() => {
      this.#stopping = undefined;
    });
    return this.#stopping;
  }

  async disconnect(reason: string): Promise<void> {
    await this.#stopping?.catch(() => undefined);
    await this.#starting?.catch(() => undefined);
    if (!RELEASED.has(this.#state)) {
      try {
        await this.onStop();
      } catch (err) {
        // The hardware is gone, so a failing release is expected and must not hide the unplug.
        this.logger.warn({ err }, 'release after disconnect failed');
      }
    }
    this.setState('disconnected', reason);
  }

  async #runStart(): Promise<void> {
    await this.#stopping?.catch(() => undefined);
    this.setState('starting');
    try {
      await this.onStart();
    } catch (err) {
      this.fail(err, 'start failed');
      throw err;
    }
    if (this.#state === 'error') throw new Error(this.#lastError?.message ?? 'start failed');
    // onStart may already have said more (e.g. 'busy' warming up); only promote a plain 'starting'.
    if (this.#state === 'starting') this.setState('ready');
  }

  async #release(): Promise<void> {
    await this.#starting?.catch(() => undefined);
    if (!RELEASED.has(this.#state)) {
      try {
        await this.onStop();
      } catch (err) {
        this.fail(err, 'stop failed');
        throw err;
      }
    }
    this.setState('stopped');
  }

  /** Record a state change and tell listeners; repeated identical states are not re-announced. */
  protected setState(state: DeviceState, detail?: string): void {
    if (state === this.#state && detail === this.#detail) return;
    if (state !== this.#state) this.#since = new Date().toISOString();
    this.#state = state;
    this.#detail = detail;
    this.emit('state', this.info());
  }

  /** The device cannot work: state 'error', lastError, an error event. The registry restarts it. */
  protected fail(err: unknown, context?: string): void {
    const message = context ? `${context}: ${errorMessage(err)}` : errorMessage(err);
    if (RELEASED.has(this.#state)) {
      // A late callback from a port already closed: nothing is running that could be restarted.
      this.logger.warn({ err }, `ignored failure while ${this.#state}: ${message}`);
      return;
    }
    this.logger.error({ err }, message);
    this.#lastError = { message, at: new Date().toISOString() };
    this.setState('error', message);
    this.emitEvent('error', 'error', message);
  }

  protected emitEvent(type: string, level: DeviceEvent['level'], message: string, data?: Record<string, unknown>): void {
    const event: DeviceEvent = { device: this.id, type, level, message };
    if (data) event.data = data;
    this.emit('event', event);
  }
}
