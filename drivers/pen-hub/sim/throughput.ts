import { silentLogger } from '../../../gateway/log/logger.js';
import { encodeEnvelope, encodePenData, Kind } from '../hub/envelope.js';
import { encodePenConnected } from '../hub/hub-messages.js';
import { HubReceiver } from '../hub/hub-receiver.js';
import { encodeEvent } from '../protocol/event-encoder.js';
import { simulatedMac } from './script-generator.js';

export interface ThroughputResult {
  dots: number;
  seconds: number;
  dotsPerSecond: number;
  megabytesPerSecond: number;
}

/** A class's worth of traffic: `pens` pens each writing strokes of 100 dots, cut into 64-byte chunks. */
function classTraffic(pens: number, dotsPerPen: number): { chunks: Buffer[]; dots: number } {
  const stream: Buffer[] = [];
  for (let slot = 0; slot < pens; slot++) stream.push(encodeEnvelope(Kind.penConnected, slot, encodePenConnected({ mac: simulatedMac(9, slot), name: `pen ${slot}` })));
  for (let d = 0; d < dotsPerPen; d++) {
    for (let slot = 0; slot < pens; slot++) {
      const ec = d & 0xff;
      const frames = [encodeEvent({ type: 'dot', ec, dtMs: 8, force: 500, x: 10 + (d % 100) * 0.37, y: 20.5, tiltX: 60, tiltY: 70, twist: 0 })];
      if (d % 100 === 0) frames.unshift(encodeEvent({ type: 'down', ec, at: 1_700_000_000_000 + d * 8, tip: 'pen', color: 0 }), encodeEvent({ type: 'paper', ec, section: 3, owner: 27, note: 600, page: 1 }));
      stream.push(...encodePenData(slot, Buffer.concat(frames)));
    }
  }
  const all = Buffer.concat(stream);
  const chunks: Buffer[] = [];
  for (let at = 0; at < all.length; at += 64) chunks.push(all.subarray(at, at + 64));
  return { chunks, dots: pens * dotsPerPen };
}

/**
 * Dots per second through the whole receiving path (envelopes, per-pen framing, decoding, PenRef,
 * fan-out to one listener), on this core. For `npm run bench:pens`; the target is ≥ 200 000.
 */
export function parseThroughput(pens = 40, dotsPerPen = 25_000): ThroughputResult {
  const { chunks, dots } = classTraffic(pens, dotsPerPen);
  // Handshakes would wait for answers the benchmark never sends: long timeouts keep them quiet.
  const receiver = new HubReceiver({ deviceId: 'bench', logger: silentLogger(), write: () => undefined, notify: () => undefined, session: { timeoutMs: 3_600_000 } });
  let received = 0;
  receiver.onEvent((e) => {
    if (e.type === 'dot') received += 1;
  });
  const started = process.hrtime.bigint();
  for (const chunk of chunks) receiver.receive(chunk);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  receiver.close('benchmark done');
  if (received !== dots) throw new Error(`benchmark lost dots: ${received} of ${dots}`);
  const bytes = chunks.reduce((n, c) => n + c.length, 0);
  return { dots, seconds, dotsPerSecond: Math.round(dots / seconds), megabytesPerSecond: bytes / seconds / 1e6 };
}
