import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../gateway/log/logger.js';
import { encodeEnvelope, Kind } from '../hub/envelope.js';
import { EnvelopeSplitter } from '../hub/envelope-splitter.js';
import { encodePenConnected } from '../hub/hub-messages.js';
import { HubReceiver } from '../hub/hub-receiver.js';
import { emptyCounters, FrameSplitter } from '../protocol/frame-splitter.js';
import { classroom } from '../sim/test-classroom.js';

afterEach(() => {
  vi.useRealTimers();
});

/** What the host asked of one pen, in order: the request commands inside send-to-pen envelopes. */
function requestsOf(writes: Buffer[], slot = 0): number[] {
  const cmds: number[] = [];
  const pen = new FrameSplitter(emptyCounters(), (f) => cmds.push(f[0]!));
  const env = new EnvelopeSplitter(emptyCounters(), (kind, to, payload) => kind === Kind.sendToPen && to === slot && pen.push(payload));
  writes.forEach((w) => env.push(w));
  return cmds;
}

describe('pen session', () => {
  it('asks version, settings, notes, then sets the clock, and only then calls the pen ready', () => {
    const { receiver, events, writes, run } = classroom({ pens: 2 });
    run(2000);
    expect(requestsOf(writes, 0)).toEqual([0x01, 0x04, 0x11, 0x05]);
    expect(requestsOf(writes, 1)).toEqual([0x01, 0x04, 0x11, 0x05]);
    expect(receiver.pens().map((p) => p.ready)).toEqual([true, true]);
    expect(receiver.pens()[0]).toMatchObject({ model: 'NWP-F30', firmware: '1.00' });
    expect(events.find((e) => e.type === 'pen-connected')).toMatchObject({ protocol: '2.18' });
  });

  it('reports a locked pen and does not use it', () => {
    const { receiver, events, notices, run } = classroom({ pens: 2, lockedPens: [1] });
    run(6000);
    expect(notices.filter((n) => n.type === 'pen-locked')).toHaveLength(1);
    expect(receiver.pens().find((p) => p.pen === 'hub/1')?.ready).toBe(false);
    expect(events.some((e) => e.pen === 'hub/1')).toBe(false);
    expect(events.some((e) => e.pen === 'hub/0' && e.type === 'dot')).toBe(true);
  });

  it('retries a request that gets no answer, then warns and keeps the pen', () => {
    vi.useFakeTimers();
    const writes: Buffer[] = [];
    const notices: string[] = [];
    const receiver = new HubReceiver({ deviceId: 'hub', logger: silentLogger(), write: (b) => writes.push(b), notify: (type) => notices.push(type), session: { timeoutMs: 1000, retries: 1 } });
    receiver.receive(encodeEnvelope(Kind.penConnected, 0, encodePenConnected({ mac: '9C:7B:D2:00:00:01', name: 'x' })));
    expect(requestsOf(writes)).toEqual([0x01]);
    vi.advanceTimersByTime(1000);
    expect(requestsOf(writes)).toEqual([0x01, 0x01]);
    vi.advanceTimersByTime(1000);
    expect(notices).toEqual(['pen-handshake-timeout']);
    expect(receiver.pens()).toEqual([expect.objectContaining({ pen: 'hub/0', ready: false })]);
  });

  it('works with old firmware (protocol before 2.12): events without counters still arrive', () => {
    const { receiver, events, run } = classroom({ pens: 5, faults: true });
    run(8000);
    const old = events.find((e) => e.type === 'pen-connected' && e.protocol === '2.05');
    expect(old).toBeDefined();
    expect(receiver.pens().find((p) => p.pen === old!.pen)?.ready).toBe(true);
    expect(events.some((e) => e.pen === old!.pen && e.type === 'dot' && e.ec === null)).toBe(true);
  });
});
