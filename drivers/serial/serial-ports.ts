import { readdir } from 'node:fs/promises';
import { SerialPort } from 'serialport';

export interface FoundSerialPort {
  path: string;
  /** What udev says made it; null where it says nothing or udevadm is missing. */
  manufacturer: string | null;
  /** False where udevadm is missing (containers, minimal images): /dev was listed instead. */
  fromUdev: boolean;
  /** Its /dev/serial/by-id/ name (maker_product_serial), which survives replugging; null when udev gave none. */
  byId: string | null;
}

/**
 * Serial ports whose name matches `name` (e.g. /ttyACM\d+$/). `SerialPort.list()` asks udevadm,
 * which containers and minimal images lack: then the /dev entries are listed instead.
 */
export async function findSerialPorts(name: RegExp): Promise<FoundSerialPort[]> {
  try {
    const ports = await SerialPort.list();
    return ports.filter((p) => name.test(p.path)).map((p) => ({ path: p.path, manufacturer: p.manufacturer ?? null, fromUdev: true, byId: p.pnpId ?? null }));
  } catch {
    const names = await readdir('/dev').catch(() => [] as string[]);
    return names.filter((n) => name.test(n)).map((n) => ({ path: `/dev/${n}`, manufacturer: null, fromUdev: false, byId: null }));
  }
}

/** "/dev/ttyACM0 (Arduino LLC)", or says why the vendor is unknown. */
export function describeSerialPort(port: FoundSerialPort): string {
  if (!port.fromUdev) return `${port.path} (no udevadm here: vendor unknown)`;
  return port.manufacturer ? `${port.path} (${port.manufacturer})` : port.path;
}
