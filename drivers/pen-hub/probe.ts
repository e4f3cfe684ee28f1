import type { ProbeResult } from '../../gateway/devices/registry.js';
import { describeSerialPort, findSerialPorts } from '../serial/serial-ports.js';

/** CDC-ACM ports are where a USB pen hub appears; other serial devices are not offered. */
const ACM = /ttyACM\d+$/;

/** Serial ports that could be a pen hub (without vendor details where udevadm is missing). */
export async function probeSerialHubs(): Promise<ProbeResult[]> {
  const ports = await findSerialPorts(ACM);
  return ports.map((p) => ({ description: `USB serial ${describeSerialPort(p)}`, options: { path: p.path } }));
}
