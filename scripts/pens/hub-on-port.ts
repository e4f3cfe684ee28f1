import { SerialPort } from 'serialport';
import type { PenScript } from '../../drivers/pen-hub/pen-hub.js';
import { randomScripts } from '../../drivers/pen-hub/sim/script-generator.js';
import { VirtualHub, type VirtualHubSummary } from '../../drivers/pen-hub/sim/virtual-hub.js';

export interface HubOnPortOptions {
  port: string;
  pens: number;
  faults: boolean;
  seed: number;
  baudRate?: number;
  /** What the pens write; default: random plausible writing for `pens` pens. */
  scripts?: PenScript[];
  tickMs?: number;
}

export interface HubOnPort {
  /** Stops the hub and closes the port (the host sees the hub unplugged). */
  stop(): Promise<VirtualHubSummary>;
  summary(): VirtualHubSummary;
}

/** The virtual hub on a real serial port: its traffic is written out, the host's requests read back. */
export async function runHubOnPort(opts: HubOnPortOptions): Promise<HubOnPort> {
  const port = new SerialPort({ path: opts.port, baudRate: opts.baudRate ?? 115_200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(new Error(`cannot open ${opts.port}: ${err.message}`)) : resolve())));
  const hub = new VirtualHub({ scripts: opts.scripts ?? randomScripts(opts.pens, opts.seed), seed: opts.seed, faults: opts.faults, ...(opts.tickMs ? { tickMs: opts.tickMs } : {}) }, (bytes) => port.write(bytes));
  port.on('data', (chunk: Buffer) => hub.receive(chunk));
  hub.start();
  return {
    summary: () => hub.summary(),
    async stop() {
      hub.stop();
      if (port.isOpen) await new Promise<void>((resolve) => port.drain(() => port.close(() => resolve())));
      return hub.summary();
    },
  };
}
