import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { probeSerialHubs } from './probe.js';

afterEach(() => vi.restoreAllMocks());

describe('pen hub probe', () => {
  it('offers a Classroom Pen Hub first, by the by-id path that survives replugging', async () => {
    // The outermost edge: what udev reports on a box (this container has no udevadm).
    vi.spyOn(SerialPort, 'list').mockResolvedValue([
      { path: '/dev/ttyACM0', manufacturer: 'Arduino LLC', pnpId: 'usb-Arduino_LLC_Arduino_Uno_85735313-if00', locationId: undefined, productId: '0043', vendorId: '2341', serialNumber: '85735313' },
      { path: '/dev/ttyACM1', manufacturer: 'Acme Edu', pnpId: 'usb-Acme_Edu_Classroom_Pen_Hub_H0042-if00', locationId: undefined, productId: '0001', vendorId: '1209', serialNumber: 'H0042' },
      { path: '/dev/ttyUSB0', manufacturer: 'FTDI', pnpId: 'usb-FTDI_FT232R_A1-if00-port0', locationId: undefined, productId: '6001', vendorId: '0403', serialNumber: 'A1' },
    ]);
    expect(await probeSerialHubs()).toEqual([
      { description: 'Classroom Pen Hub on /dev/ttyACM1 (Acme Edu)', options: { path: '/dev/serial/by-id/usb-Acme_Edu_Classroom_Pen_Hub_H0042-if00' } },
      { description: 'USB serial /dev/ttyACM0 (Arduino LLC)', options: { path: '/dev/ttyACM0' } },
    ]);
  });

  it('without udevadm, lists the CDC-ACM ports it can see and says the vendor is unknown', async () => {
    vi.spyOn(SerialPort, 'list').mockRejectedValue(new Error('spawn udevadm ENOENT'));
    const found = await probeSerialHubs();
    for (const p of found) expect(p.description).toMatch(/^USB serial \/dev\/ttyACM\d+ \(no udevadm here: vendor unknown\)$/);
  });
});
