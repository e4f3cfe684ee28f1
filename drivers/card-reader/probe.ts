import type { ProbeResult } from '../../gateway/devices/registry.js';
import { describeSerialPort, findSerialPorts } from '../serial/serial-ports.js';

/**
 * Where serial card readers appear: USB-UART adapters (ttyUSB, the usual way to wire an RDM6300),
 * CDC-ACM readers (ttyACM), and the Raspberry Pi's GPIO UART (ttyAMA, and its serial0 link).
 */
const READER_PORTS = /(ttyUSB\d+|ttyACM\d+|ttyAMA\d+|serial\d)$/;

/** Serial ports that could hold a card reader; which format it speaks cannot be probed, so `protocol` is left to set. */
export async function probeCardReaders(): Promise<ProbeResult[]> {
  const ports = await findSerialPorts(READER_PORTS);
  return ports.map((p) => ({ description: `serial port ${describeSerialPort(p)}: set options.protocol to "rdm6300" or "ascii-line"`, options: { path: p.path } }));
}
