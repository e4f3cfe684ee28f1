import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../gateway/log/logger.js';
import { cardReaderDriver } from './index.js';

const ctx = { logger: silentLogger() };
const create = (transport: 'real' | 'simulated', options: Record<string, unknown>) => () => cardReaderDriver().create({ id: 'cards', kind: 'card-reader', transport, options }, ctx);
const rdm = { path: '/dev/ttyUSB0', protocol: 'rdm6300' };

describe('card reader driver factory', () => {
  it('names the bad option and what is allowed', () => {
    expect(create('real', { protocol: 'rdm6300' })).toThrow('devices[cards].options.path: required: the reader\'s serial port, e.g. "/dev/ttyUSB0"');
    expect(create('real', { path: '/dev/ttyUSB0' })).toThrow('devices[cards].options.protocol: required: what the reader sends, "rdm6300" (125 kHz modules) or "ascii-line" (one number per line)');
    expect(create('real', { ...rdm, protocol: 'wiegand' })).toThrow('devices[cards].options.protocol: allowed: "rdm6300", "ascii-line"; found "wiegand"');
    expect(create('real', { ...rdm, baudRate: 9600.5 })).toThrow('devices[cards].options.baudRate: allowed: a whole number from 1200 to 921600; found 9600.5');
    expect(create('real', { ...rdm, uidFormat: 'decimal' })).toThrow('devices[cards].options.uidFormat: only for protocol "ascii-line"');
    expect(create('real', { ...rdm, protocol: 'ascii-line', uidFormat: 'octal' })).toThrow('devices[cards].options.uidFormat: allowed: "hex", "decimal"; found "octal"');
    expect(create('real', { ...rdm, debounceMs: -1 })).toThrow('devices[cards].options.debounceMs: allowed: a whole number from 0 to 60000; found -1');
    expect(create('real', { ...rdm, cards: [] })).toThrow('devices[cards].options.cards: not an option of a real card reader; allowed: "path", "protocol", "baudRate", "uidFormat", "debounceMs"');
    expect(create('simulated', { path: '/dev/ttyUSB0' })).toThrow('devices[cards].options.path: not an option of a simulated card reader; allowed: "cards", "intervalMs", "debounceMs"');
    expect(create('simulated', { cards: '04A224B2' })).toThrow('devices[cards].options.cards: allowed: a list of card uids in hex, e.g. ["04A224B2C35E80"]; found "04A224B2"');
    expect(create('simulated', { cards: ['04A224B2', 'Alice'] })).toThrow('found "Alice"');
    expect(create('simulated', { intervalMs: 100 })).toThrow('devices[cards].options.intervalMs: allowed: a whole number from 500 to 3600000; found 100');
  });

  it('builds the serial reader for real (9600 baud by default) and the simulator for simulated', async () => {
    expect(create('real', rdm)()).toMatchObject({ kind: 'card-reader', transport: 'real' });
    expect(create('real', { path: '/dev/ttyACM0', protocol: 'ascii-line', uidFormat: 'decimal', baudRate: 115200, debounceMs: 0, usbVendorId: '1a86' })()).toMatchObject({ transport: 'real' });
    const simulated = create('simulated', { cards: ['04:a2:24:b2'], intervalMs: 500 })();
    expect(simulated).toMatchObject({ kind: 'card-reader', transport: 'simulated' });
    await simulated.start();
    expect(simulated.info().detail).toBe('simulated reader, 1 card tapped every 0.5 s');
    await simulated.stop();
  });

  it('a missing port fails the start, naming the port', async () => {
    const reader = create('real', { ...rdm, path: '/dev/ttyUSB-none' })();
    await expect(reader.start()).rejects.toThrow('serial port /dev/ttyUSB-none not found: is the card reader plugged in?');
  });

  it('probing does not throw, and offers each port found with its path, leaving the protocol to set', async () => {
    const found = await cardReaderDriver().probe!();
    for (const port of found) expect(port).toMatchObject({ description: expect.stringContaining('set options.protocol'), options: { path: expect.stringMatching(/^\/dev\//) } });
  });
});
