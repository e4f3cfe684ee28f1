import type { ProbeResult } from '../../gateway/devices/registry.js';
import { describeSerialPort, findSerialPorts } from '../serial/serial-ports.js';

/** CDC-ACM ports are where a USB pen hub appears; other serial devices are not offered. */
const ACM = /ttyACM\d+$/;

/** The product string every hub carries (HUB-PROTOCOL.md, "USB identity"), as udev writes it in by-id names. */
const HUB_PRODUCT = /_Classroom_Pen_Hub_/;

/**
 * Serial ports that could be a pen hub, real hubs first and offered by their by-id path, which
 * stays the same whichever USB port the hub is moved to; other CDC-ACM ports by their /dev name
 * (without vendor details where udevadm is missing).
 */
export async function probeSerialHubs(): Promise<ProbeResult[]> {
  const ports = await findSerialPorts(ACM);
  const isHub = (p: (typeof ports)[number]) => p.byId !== null && HUB_PRODUCT.test(p.byId);
  return [
    ...ports.filter(isHub).map((p) => ({ description: `Classroom Pen Hub on ${describeSerialPort(p)}`, options: { path: `/dev/serial/by-id/${p.byId}` } })),
    ...ports.filter((p) => !isHub(p)).map((p) => ({ description: `USB serial ${describeSerialPort(p)}`, options: { path: p.path } })),
  ];
}
