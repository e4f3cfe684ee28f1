import { BaseDevice, type DeviceAction, type Transport } from '../../../gateway/devices/device.js';
import type { Logger } from '../../../gateway/log/logger.js';
import type { HubEvent, HubStats, PenHub, PenInfo } from '../pen-hub.js';
import type { SessionOptions } from '../session/pen-session.js';
import { HubReceiver } from './hub-receiver.js';

export interface PenHubDeviceOptions {
  id: string;
  transport: Transport;
  logger: Logger;
  session?: SessionOptions;
}

/**
 * A pen hub as a gateway device (kind `pen-hub`). Transports only move bytes: they call
 * `receive()` with what the hub sent and implement `write()`; all parsing is the HubReceiver's.
 */
export abstract class PenHubDevice extends BaseDevice implements PenHub {
  protected readonly receiver: HubReceiver;

  constructor(options: PenHubDeviceOptions) {
    super({ id: options.id, kind: 'pen-hub', transport: options.transport, logger: options.logger });
    this.receiver = new HubReceiver({
      deviceId: options.id,
      logger: this.logger,
      write: (bytes) => this.write(bytes),
      notify: (type, level, message, data) => this.emitEvent(type, level, message, data),
      ...(options.session ? { session: options.session } : {}),
    });
  }

  /** Host → hub bytes; dropped silently while the transport is closed (the hub is gone anyway). */
  protected abstract write(bytes: Buffer): void;

  protected receive(chunk: Buffer): void {
    this.receiver.receive(chunk);
  }

  onEvent(listener: (event: HubEvent) => void): () => void {
    return this.receiver.onEvent(listener);
  }

  pens(): PenInfo[] {
    return this.receiver.pens();
  }

  stats(): HubStats {
    return this.receiver.stats();
  }

  override actions(): Readonly<Record<string, DeviceAction>> {
    return { pens: async () => this.pens(), stats: async () => this.stats() };
  }
}
