import { readdir } from 'node:fs/promises';
import { SerialPort } from 'serialport';
import type { ProbeResult } from '../../gateway/devices/registry.js';

/** CDC-ACM ports are where a USB pen hub appears; other serial devices are not offered. */
const ACM = /ttyACM\d+$/;

/**
 * Serial ports that could be a pen hub. `SerialPort.list()` asks udevadm, which containers and
 * minimal images lack: then the /dev entries are listed instead, without vendor details.
 */
export async function probeSerialHubs(): Promise<ProbeResult[]> {
  try {
    const ports = await SerialPort.list();
    return ports
      .filter((p) => ACM.test(p.path))
      .map((p) => ({ description: `USB serial ${p.path}${p.manufacturer ? ` (${p.manufacturer})` : ''}`, options: { path: p.path } }));
  } catch {
    const names = await readdir('/dev').catch(() => [] as string[]);
    return names
      .filter((n) => ACM.test(n))
      .map((n) => ({ description: `USB serial /dev/${n} (no udevadm here: vendor unknown)`, options: { path: `/dev/${n}` } }));
  }
}
