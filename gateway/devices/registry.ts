/**
 * The device registry: drivers register a factory per kind, the settings' `devices` array says
 * which devices to create, and every device is supervised (supervisor.ts) so that one broken or
 * absent device never stops the others or the gateway. Listeners get every device's state and
 * events; the gateway publishes them.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from '../log/logger.js';
import { BaseDevice, errorMessage, type BaseDeviceOptions, type Device, type DeviceEvent, type Transport } from './device.js';
import { matchesUsbOptions, type UsbDeviceInfo, type UsbEventSource } from './hotplug.js';
import { DeviceSupervisor, type BackoffOptions, type ManagedDeviceInfo, type StopOutcome } from './supervisor.js';
import { withTimeout } from './timeout.js';

export type { ManagedDeviceInfo } from './supervisor.js';

/** One entry of the settings' `devices` array. */
export interface DeviceConfig {
  id: string;
  kind: string;
  transport: Transport;
  /** Default true. A disabled device is listed (state 'stopped') but never created. */
  enabled?: boolean;
  /** Driver-specific; `usbVendorId`/`usbProductId` (number, or hex string as lsusb prints) tie it to hot-plug. */
  options?: Record<string, unknown>;
}

export interface DriverContext {
  logger: Logger;
}

/** A device a driver found on this host, with the options that would configure it. */
export interface ProbeResult {
  description: string;
  options: Record<string, unknown>;
}

export interface DeviceDriver {
  /** Build the device (real or simulated per config.transport) without touching hardware yet. */
  create(config: DeviceConfig, context: DriverContext): Device;
  probe?(): Promise<ProbeResult[]>;
  /** For hardware that usbVendorId/usbProductId cannot describe (e.g. any of several pen-hub models). */
  matchUsb?(device: UsbDeviceInfo, config: DeviceConfig): boolean;
}

export interface RegistryEvents {
  state: [info: ManagedDeviceInfo];
  event: [event: DeviceEvent];
}

export interface DeviceRegistryOptions {
  logger: Logger;
  backoff?: Partial<BackoffOptions>;
  /** How long startAll waits for one device; a slower one keeps starting in the background. */
  startTimeoutMs?: number;
  /** Per device; devices stop in parallel, so this bounds stopAll as a whole. */
  stopTimeoutMs?: number;
  probeTimeoutMs?: number;
}

export type DeviceActionErrorCode = 'unknown-device' | 'unknown-action' | 'not-ready';

/** Thrown by runAction before reaching a driver, so the request op can answer precisely. */
export class DeviceActionError extends Error {
  constructor(
    readonly code: DeviceActionErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DeviceActionError';
  }
}

export interface StopReport {
  stopped: string[];
  timedOut: string[];
  failed: string[];
}

/** Stands in for a device that cannot be created, so it is still listed with the reason. */
class PlaceholderDevice extends BaseDevice {
  constructor(
    options: BaseDeviceOptions,
    private readonly problem: string,
  ) {
    super(options);
  }

  static disabled(options: BaseDeviceOptions): PlaceholderDevice {
    const device = new PlaceholderDevice(options, 'disabled in settings');
    device.setState('stopped', 'disabled in settings');
    return device;
  }

  protected async onStart(): Promise<void> {
    throw new Error(this.problem);
  }

  protected async onStop(): Promise<void> {}
}

interface Entry {
  config: DeviceConfig;
  driver: DeviceDriver | undefined;
  supervisor: DeviceSupervisor;
}

export class DeviceRegistry extends EventEmitter<RegistryEvents> {
  readonly #drivers = new Map<string, DeviceDriver>();
  readonly #entries = new Map<string, Entry>();
  readonly #logger: Logger;
  readonly #backoff: BackoffOptions;
  readonly #startTimeoutMs: number;
  readonly #stopTimeoutMs: number;
  readonly #probeTimeoutMs: number;

  constructor(options: DeviceRegistryOptions) {
    super();
    this.#logger = options.logger;
    this.#backoff = { initialMs: 1_000, maxMs: 60_000, stableMs: 60_000, ...options.backoff };
    this.#startTimeoutMs = options.startTimeoutMs ?? 30_000;
    this.#stopTimeoutMs = options.stopTimeoutMs ?? 5_000;
    this.#probeTimeoutMs = options.probeTimeoutMs ?? 10_000;
  }

  registerDriver(kind: string, driver: DeviceDriver): void {
    if (this.#drivers.has(kind)) throw new Error(`a driver for kind "${kind}" is already registered`);
    this.#drivers.set(kind, driver);
  }

  /** Create every configured device. Problems become devices in state error, never exceptions. */
  load(configs: readonly DeviceConfig[]): void {
    for (const config of configs) {
      if (this.#entries.has(config.id)) {
        this.#logger.error({ device: config.id }, `duplicate device id "${config.id}" in settings: only the first is used`);
        continue;
      }
      this.#add(config);
    }
  }

  #add(config: DeviceConfig): void {
    const enabled = config.enabled ?? true;
    const driver = this.#drivers.get(config.kind);
    const base: BaseDeviceOptions = { id: config.id, kind: config.kind, transport: config.transport, logger: this.#logger };
    let device: Device;
    let restartable = false;
    if (!enabled) {
      device = PlaceholderDevice.disabled(base);
    } else if (!driver) {
      const known = [...this.#drivers.keys()].join(', ') || 'none';
      device = new PlaceholderDevice(base, `no driver for kind "${config.kind}" (registered: ${known})`);
    } else {
      try {
        device = driver.create(config, { logger: this.#logger });
        restartable = true;
      } catch (err) {
        device = new PlaceholderDevice(base, `driver "${config.kind}" rejected the settings: ${errorMessage(err)}`);
      }
    }
    const supervisor = new DeviceSupervisor(device, enabled, {
      backoff: this.#backoff,
      startTimeoutMs: this.#startTimeoutMs,
      stopTimeoutMs: this.#stopTimeoutMs,
      restartable,
      logger: this.#logger,
      onEvent: (event) => this.emit('event', event),
    });
    // After the supervisor's own listener, so the published info already shows a scheduled restart.
    device.on('state', () => this.emit('state', supervisor.info()));
    device.on('event', (event) => this.emit('event', event));
    this.#entries.set(config.id, { config, driver, supervisor });
  }

  /** Start every enabled device; resolves once each is up, failed (and scheduled for restart) or timed out. */
  async startAll(): Promise<void> {
    await Promise.all([...this.#entries.values()].map((entry) => entry.supervisor.start()));
  }

  list(): ManagedDeviceInfo[] {
    return [...this.#entries.values()].map((entry) => entry.supervisor.info());
  }

  get(id: string): Device | undefined {
    return this.#entries.get(id)?.supervisor.device;
  }

  /**
   * Run a device action for the request "device" op. 'busy' devices are let through: a scanner
   * must still accept `cancel` mid-scan, so each driver guards its own concurrency.
   */
  async runAction(deviceId: string, action: string, args: unknown): Promise<unknown> {
    const device = this.get(deviceId);
    if (!device) throw new DeviceActionError('unknown-device', `unknown device "${deviceId}"`);
    const actions = device.actions();
    const run = Object.hasOwn(actions, action) ? actions[action] : undefined;
    if (!run) {
      const offered = Object.keys(actions).join(', ') || 'none';
      throw new DeviceActionError('unknown-action', `device "${deviceId}" (${device.kind}) has no action "${action}" (offers: ${offered})`);
    }
    const { state, detail } = device.info();
    if (state !== 'ready' && state !== 'busy') {
      const why = detail ? `${state}: ${detail}` : state;
      throw new DeviceActionError('not-ready', `device "${deviceId}" is not ready (${why})`);
    }
    return run(args);
  }

  /** Route USB attach/detach to the real devices they concern. Returns the unsubscribe. */
  useHotplug(source: UsbEventSource): () => void {
    const onAttach = (usb: UsbDeviceInfo): void => {
      for (const entry of this.#matching(usb)) void entry.supervisor.attach();
    };
    const onDetach = (usb: UsbDeviceInfo): void => {
      for (const entry of this.#matching(usb)) void entry.supervisor.detach();
    };
    source.on('attach', onAttach);
    source.on('detach', onDetach);
    return () => {
      source.off('attach', onAttach);
      source.off('detach', onDetach);
    };
  }

  #matching(usb: UsbDeviceInfo): Entry[] {
    return [...this.#entries.values()].filter((entry) => {
      if (entry.config.transport !== 'real') return false;
      try {
        return entry.driver?.matchUsb?.(usb, entry.config) || matchesUsbOptions(entry.config.options ?? {}, usb);
      } catch (err) {
        this.#logger.warn({ err, device: entry.config.id }, 'matchUsb threw; treating as no match');
        return false;
      }
    });
  }

  /** Ask every driver that can what hardware it sees; one slow or failing probe does not hide the others. */
  async probeAll(): Promise<Record<string, ProbeResult[] | { error: string }>> {
    const results: Record<string, ProbeResult[] | { error: string }> = {};
    await Promise.all(
      [...this.#drivers].map(async ([kind, driver]) => {
        if (!driver.probe) return;
        try {
          results[kind] = await withTimeout(driver.probe(), this.#probeTimeoutMs, `probe ${kind}`);
        } catch (err) {
          results[kind] = { error: errorMessage(err) };
        }
      }),
    );
    return results;
  }

  /** Stop every device in parallel, each bounded by stopTimeoutMs; cancels pending restarts. */
  async stopAll(): Promise<StopReport> {
    const entries = [...this.#entries];
    const outcomes = await Promise.all(entries.map(([, entry]) => entry.supervisor.stop()));
    const report: StopReport = { stopped: [], timedOut: [], failed: [] };
    const field: Record<StopOutcome, keyof StopReport> = { stopped: 'stopped', timeout: 'timedOut', failed: 'failed' };
    entries.forEach(([id], i) => report[field[outcomes[i] ?? 'failed']].push(id));
    return report;
  }
}
