import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../gateway/log/logger.js';
import type { HubEvent } from '../pen-hub.js';
import { encodeEvent } from '../protocol/event-encoder.js';
import { framedPacket } from '../protocol/frame-encoder.js';
import { encodeEnvelope, encodePenData, Kind } from './envelope.js';
import { encodeDisconnected, encodePenConnected } from './hub-messages.js';
import { HubReceiver } from './hub-receiver.js';

function receiver() {
  const notices: string[] = [];
  const r = new HubReceiver({ deviceId: 'hub', logger: silentLogger(), write: () => undefined, notify: (type) => notices.push(type), session: { timeoutMs: 60_000 } });
  const events: HubEvent[] = [];
  r.onEvent((e) => events.push(e));
  return { r, events, notices };
}

const dot = (ec: number, x: number) => encodeEvent({ type: 'dot', ec, dtMs: 8, force: 400, x, y: 7.5, tiltX: 0, tiltY: 0, twist: 0 });

describe('hub receiver', () => {
  it('follows each pen through its own splitter, whatever way the hub cuts and interleaves the chunks', () => {
    const a = Buffer.concat([dot(1, 1.25), dot(2, 2.5)]);
    const b = Buffer.concat([dot(9, 100.01)]);
    for (let cut = 0; cut <= a.length; cut++) {
      const { r, events } = receiver();
      r.receive(Buffer.concat([...encodePenData(1, a.subarray(0, cut)), ...encodePenData(2, b), ...encodePenData(1, a.subarray(cut))]));
      const dots = events.filter((e) => e.type === 'dot').map((e) => [e.pen, e.type === 'dot' && e.x]);
      expect(dots.sort()).toEqual([['hub/1', 1.25], ['hub/1', 2.5], ['hub/2', 100.01]].sort());
    }
  });

  it('stamps events with the pen, its MAC from the connect message and the local receive time', () => {
    const { r, events } = receiver();
    const before = Date.now();
    r.receive(Buffer.concat([encodeEnvelope(Kind.penConnected, 5, encodePenConnected({ mac: '9C:7B:D2:01:02:03', name: 'pen' })), ...encodePenData(5, dot(0, 3))]));
    expect(events[0]).toMatchObject({ pen: 'hub/5', mac: '9C:7B:D2:01:02:03', type: 'dot', x: 3 });
    expect(events[0]!.receivedAt).toBeGreaterThanOrEqual(before);
  });

  it('counts unknown pen commands by code and unknown hub kinds and versions, and skips them', () => {
    const { r, events } = receiver();
    r.receive(Buffer.concat([...encodePenData(0, Buffer.concat([framedPacket(0x73, Buffer.of(1)), framedPacket(0x73), dot(0, 1)])), encodeEnvelope(0x42, 0, Buffer.of(1)), encodeEnvelope(Kind.penData, 0, dot(1, 2), 2)]));
    // Data from a slot the hub never announced is kept: the pen is announced without a MAC.
    expect(events.map((e) => e.type)).toEqual(['pen-connected', 'dot']);
    expect(events[1]).toMatchObject({ x: 1, mac: null });
    expect(r.stats().unknownCommands).toEqual({ '0x73': 2, 'hub-kind-0x42': 1, 'hub-version-2': 1 });
    expect(r.stats().frames).toBe(3);
  });

  it('keeps delivering to the other listeners when one throws', () => {
    const { r, events } = receiver();
    r.onEvent(() => {
      throw new Error('listener bug');
    });
    const late: HubEvent[] = [];
    r.onEvent((e) => late.push(e));
    r.receive(Buffer.concat(encodePenData(0, Buffer.concat([dot(0, 1), dot(1, 2)]))));
    expect(events.map((e) => e.type)).toEqual(['pen-connected', 'dot', 'dot']);
    expect(late).toEqual(events);
  });

  it('closes a pen on disconnect and warns about damaged traffic at most once per interval', () => {
    const { r, events, notices } = receiver();
    r.receive(Buffer.concat([...encodePenData(4, dot(0, 1)), Buffer.from('garbage'), encodeEnvelope(Kind.penDisconnected, 4, encodeDisconnected('power-off'))]));
    r.receive(Buffer.from('more garbage'));
    expect(events.map((e) => e.type)).toEqual(['pen-connected', 'dot', 'pen-disconnected']);
    expect(events[2]).toMatchObject({ reason: 'power-off' });
    expect(r.pens()).toEqual([]);
    expect(notices.filter((n) => n === 'malformed-traffic')).toHaveLength(1);
    expect(r.stats().garbageBytes).toBe(7 + 12);
  });
});
