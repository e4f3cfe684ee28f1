import { open } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceEvent } from '../../gateway/devices/device.js';
import { silentLogger } from '../../gateway/log/logger.js';
import { socatPtyPair } from '../../gateway/test-support/pty-pair.js';
import type { CardProtocol, CardTap, UidFormat } from './card-reader.js';
import { SerialCardReader } from './serial-card-reader.js';
import { rdm6300Frame } from './test-support/rdm6300-frame.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => undefined);
});

/** A reader on one end of a socat pty pair; the test plays the card reader on the other end. */
async function readerOverPty(protocol: CardProtocol, uidFormat: UidFormat = 'hex') {
  const pair = await socatPtyPair();
  cleanup.push(() => pair.close());
  const device = new SerialCardReader({ id: 'reader-1', logger: silentLogger(), path: pair.host, protocol, baudRate: 9600, uidFormat, debounceMs: 1500, warnEveryMs: 0 });
  cleanup.push(() => device.stop());
  const taps: CardTap[] = [];
  const events: DeviceEvent[] = [];
  device.onCard((tap) => taps.push(tap));
  device.on('event', (e) => events.push(e));
  await device.start();
  const hardware = await open(pair.hub, 'r+');
  cleanup.push(() => hardware.close());
  const send = async (bytes: Buffer | string) => void (await hardware.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes));
  return { device, taps, events, send, pair, hardware };
}

describe('serial card reader over a real pty (socat)', () => {
  it('rdm6300: a held card (repeated frames) is one tap; bad checksums and garbage are counted and skipped', async () => {
    const { device, taps, send } = await readerOverPty('rdm6300');
    expect(device.info()).toMatchObject({ state: 'ready', detail: expect.stringContaining('rdm6300 at 9600 baud') });
    const frame = rdm6300Frame('1A00C2E4F1');
    for (let i = 0; i < 5; i++) await send(frame);
    await send(rdm6300Frame('0102030405', { checksum: 0 }));
    await send('\xff\xfegarbage');
    // Split across writes (and so across reads), as a slow UART delivers it.
    const second = rdm6300Frame('0102030405');
    await send(second.subarray(0, 6));
    await new Promise((r) => setTimeout(r, 120));
    await send(second.subarray(6));
    await expect.poll(() => taps.map((t) => t.uid), { timeout: 5000 }).toEqual(['1A00C2E4F1', '0102030405']);
    expect(taps[0]).toEqual({ uid: '1A00C2E4F1', reader: 'reader-1', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(device.stats()).toMatchObject({ bytes: 7 * 14 + 9, reads: 6, taps: 2, repeats: 4, badChecksums: 1, garbageBytes: 9 });
  });

  it('ascii-line: decimal numbers, one per line, come out as hex uids', async () => {
    const { taps, send } = await readerOverPty('ascii-line', 'decimal');
    await send('0012345678\r\n');
    await send('37359');
    await send('28559\r\n');
    await expect.poll(() => taps.map((t) => t.uid), { timeout: 5000 }).toEqual(['00BC614E', 'DEADBEEF']);
  });

  it('warns when the traffic does not parse (wrong protocol or baud rate), and keeps reading', async () => {
    const { device, taps, events, send } = await readerOverPty('ascii-line');
    // An RDM6300 on a port set up for lines: its frames never end a line, so the line overflows.
    for (let i = 0; i < 5; i++) await send(rdm6300Frame('1A00C2E4F1'));
    await send('\r\n5C3E9A12\r\n');
    await expect.poll(() => taps.map((t) => t.uid), { timeout: 5000 }).toEqual(['5C3E9A12']);
    expect(device.stats().oversize).toBe(1);
    expect(events.find((e) => e.type === 'malformed-traffic')).toMatchObject({ level: 'warning', message: expect.stringContaining('wrong protocol or baud rate') });
  });

  it('goes disconnected, saying so, when the reader is unplugged', async () => {
    const { device, pair, hardware } = await readerOverPty('rdm6300');
    // Like pulling the USB cable: the other end closes and the pty pair vanishes.
    await hardware.close();
    await pair.close();
    await expect.poll(() => device.info().state, { timeout: 5000 }).toBe('disconnected');
    expect(device.info().detail).toMatch(/^serial port .* closed: the card reader was unplugged/);
  });

  it('a missing serial port is a clear start error', async () => {
    const device = new SerialCardReader({ id: 'reader-1', logger: silentLogger(), path: '/dev/ttyUSB-none', protocol: 'rdm6300', baudRate: 9600, uidFormat: 'hex', debounceMs: 1500 });
    await expect(device.start()).rejects.toThrow('serial port /dev/ttyUSB-none not found: is the card reader plugged in?');
    expect(device.info().state).toBe('error');
  });
});
