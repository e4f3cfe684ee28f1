import { invalidOption, oneOfOption, rejectUnknownOptions, serialPathOption, wholeNumberOption } from '../../gateway/devices/driver-options.js';
import type { DeviceConfig, DeviceDriver } from '../../gateway/devices/registry.js';
import type { CardProtocol, UidFormat } from './card-reader.js';
import { probeCardReaders } from './probe.js';
import { SerialCardReader } from './serial-card-reader.js';
import { SimulatedCardReader } from './simulated-card-reader.js';
import { hexUid } from './uid.js';

export type * from './card-reader.js';
export { CardReaderDevice } from './card-reader-device.js';
export { SerialCardReader } from './serial-card-reader.js';
export { SimulatedCardReader } from './simulated-card-reader.js';

const OPTIONS = { real: ['path', 'protocol', 'baudRate', 'uidFormat', 'debounceMs'], simulated: ['cards', 'intervalMs', 'debounceMs'] } as const;
const PROTOCOLS: readonly CardProtocol[] = ['rdm6300', 'ascii-line'];
/** The RDM6300 is fixed at 9600; USB "serial mode" readers and Wiegand boards ship at 9600 too. */
const DEFAULT_BAUD_RATE: Record<CardProtocol, number> = { rdm6300: 9600, 'ascii-line': 9600 };
const DEFAULT_DEBOUNCE_MS = 1500;
/** Demo cards: a 7-byte MIFARE UID, an EM4100 tag and a 4-byte MIFARE Classic UID. */
const DEMO_CARDS = ['04A224B2C35E80', '1A00C2E4F1', '5C3E9A12'];

function protocolOption(config: DeviceConfig): CardProtocol {
  const protocol = oneOfOption(config, 'protocol', PROTOCOLS);
  if (protocol === undefined) throw new Error(`devices[${config.id}].options.protocol: required: what the reader sends, "rdm6300" (125 kHz modules) or "ascii-line" (one number per line)`);
  return protocol;
}

function uidFormatOption(config: DeviceConfig, protocol: CardProtocol): UidFormat {
  const format = oneOfOption<UidFormat>(config, 'uidFormat', ['hex', 'decimal']);
  if (format !== undefined && protocol !== 'ascii-line') throw new Error(`devices[${config.id}].options.uidFormat: only for protocol "ascii-line" (an rdm6300 always sends hex)`);
  return format ?? 'hex';
}

function cardsOption(config: DeviceConfig): string[] {
  const cards = config.options?.cards;
  if (cards === undefined) return DEMO_CARDS;
  const allowed = 'a list of card uids in hex, e.g. ["04A224B2C35E80"]';
  if (!Array.isArray(cards)) throw invalidOption(config, 'cards', allowed, cards);
  return cards.map((card: unknown) => {
    const uid = typeof card === 'string' ? hexUid(card) : null;
    if (uid === null) throw invalidOption(config, 'cards', allowed, card);
    return uid;
  });
}

/**
 * The card reader driver (the magic mirror's check-in). `real`: a serial RFID/NFC reader
 * (`path`, `protocol` required; `baudRate` 9600, `uidFormat` "hex" for ascii-line). `simulated`:
 * taps `cards` (three demo cards) in turn every `intervalMs` (5000), and takes injected taps.
 * Both: `debounceMs` 1500.
 */
export function cardReaderDriver(): DeviceDriver {
  return {
    create(config, { logger }) {
      rejectUnknownOptions(config, OPTIONS[config.transport], 'card reader');
      const debounceMs = wholeNumberOption(config, 'debounceMs', 0, 60_000) ?? DEFAULT_DEBOUNCE_MS;
      if (config.transport === 'real') {
        const path = serialPathOption(config, 'the reader', '/dev/ttyUSB0');
        const protocol = protocolOption(config);
        const uidFormat = uidFormatOption(config, protocol);
        const baudRate = wholeNumberOption(config, 'baudRate', 1200, 921_600) ?? DEFAULT_BAUD_RATE[protocol];
        return new SerialCardReader({ id: config.id, logger, path, protocol, baudRate, uidFormat, debounceMs });
      }
      const intervalMs = wholeNumberOption(config, 'intervalMs', 500, 3_600_000) ?? 5000;
      return new SimulatedCardReader({ id: config.id, logger, cards: cardsOption(config), intervalMs, debounceMs });
    },
    probe: probeCardReaders,
  };
}
