import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../gateway/log/logger.js';
import { seeded } from '../../gateway/util/random.js';
import { encodeEnvelope, encodePenData, Kind, MAX_ENVELOPE_BYTES } from './hub/envelope.js';
import { encodePenConnected } from './hub/hub-messages.js';
import { HubReceiver } from './hub/hub-receiver.js';
import { MAX_PACKET_BYTES } from './protocol/commands.js';
import { encodeEvent } from './protocol/event-encoder.js';
import { framedPacket } from './protocol/frame-encoder.js';
import { settingsResponse, versionResponse } from './protocol/response-encoder.js';

const FRAMES = 1_000_000;
const rand = seeded(20240611);
const byte = () => Math.floor(rand() * 256);

/** Valid frames of every kind, to be sent as they are or mutated. */
const seeds: Buffer[] = [
  encodeEvent({ type: 'down', ec: 1, at: 1_700_000_000_000, tip: 'pen', color: 0xc0c1c07d }),
  encodeEvent({ type: 'paper', ec: 2, section: 3, owner: 27, note: 600, page: 4 }),
  encodeEvent({ type: 'dot', ec: 3, dtMs: 8, force: 500, x: 12.34, y: 56.78, tiltX: 1, tiltY: 2, twist: 3 }),
  encodeEvent({ type: 'up', ec: 4, at: 1_700_000_000_900, dotCount: 9, images: { total: 9, processed: 9, succeeded: 9, sent: 9 } }),
  encodeEvent({ type: 'dot', ec: null, dtMs: 8, force: 500, x: 1, y: 2, tiltX: 1, tiltY: 2, twist: 3 }),
  encodeEvent({ type: 'error-dot', ec: 5, dtMs: 1, force: 2 }),
  versionResponse({ model: 'NWP-F30', firmware: '1.00', protocol: '2.18', mac: '9C:7B:D2:00:00:01' }),
  settingsResponse({ locked: false, battery: 50 }),
  framedPacket(0x73, Buffer.alloc(4)),
];

function mutated(): Buffer {
  const r = rand();
  if (r < 0.1) return Buffer.from(Array.from({ length: 1 + (byte() & 31) }, byte));
  const f = Buffer.from(seeds[Math.floor(rand() * seeds.length)]!);
  if (r < 0.5) return f;
  if (r < 0.75) f[Math.floor(rand() * f.length)] = byte();
  else if (r < 0.9) return f.subarray(0, Math.floor(rand() * f.length));
  else f[Math.floor(rand() * f.length)] = [0xc0, 0xc1, 0x7d][byte() % 3]!;
  return f;
}

describe('fuzzing the whole receiving path', () => {
  it(`survives ${FRAMES.toLocaleString('en')} random and mutated frames with bounded buffers and heap`, () => {
    const receiver = new HubReceiver({ deviceId: 'fuzz', logger: silentLogger(), write: () => undefined, notify: () => undefined, session: { timeoutMs: 3_600_000 } });
    let events = 0;
    receiver.onEvent(() => (events += 1));
    for (let slot = 0; slot < 8; slot++) receiver.receive(encodeEnvelope(Kind.penConnected, slot, encodePenConnected({ mac: `9C:7B:D2:00:00:0${slot}`, name: 'p' })));
    const heapBefore = process.memoryUsage().heapUsed;
    let maxBuffered = 0;
    for (let sent = 0; sent < FRAMES; ) {
      const batch: Buffer[] = [];
      for (let i = 0; i < 64; i++, sent++) batch.push(mutated());
      const slot = rand() < 0.02 ? 200 : Math.floor(rand() * 8);
      for (let envelope of encodePenData(slot, Buffer.concat(batch))) {
        if (rand() < 0.05) {
          envelope = Buffer.from(envelope);
          envelope[Math.floor(rand() * envelope.length)] = byte();
        }
        // Arbitrary chunk boundaries, as USB reads give them.
        const cut = Math.floor(rand() * envelope.length);
        receiver.receive(envelope.subarray(0, cut));
        receiver.receive(envelope.subarray(cut));
      }
      maxBuffered = Math.max(maxBuffered, receiver.buffered());
    }
    const stats = receiver.stats();
    expect(events).toBeGreaterThan(FRAMES / 4);
    expect(stats.malformedFrames).toBeGreaterThan(0);
    expect(stats.garbageBytes).toBeGreaterThan(0);
    expect(stats.unknownCommands['0x73']).toBeGreaterThan(0);
    expect(maxBuffered).toBeLessThanOrEqual(2 * MAX_ENVELOPE_BYTES + 8 * MAX_PACKET_BYTES);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
  });
});
