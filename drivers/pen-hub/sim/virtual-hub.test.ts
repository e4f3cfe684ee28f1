import { describe, expect, it } from 'vitest';
import type { HubEvent, PenScript } from '../pen-hub.js';
import { DEFAULT_FAULT_RATES } from './faults.js';
import { classroom } from './test-classroom.js';
import { dotsIn } from './virtual-pen.js';

const script: PenScript = {
  mac: '9C:7B:D2:AA:BB:01',
  strokes: [
    { address: { section: 3, owner: 27, note: 601, page: 2 }, points: [{ x: 10, y: 20 }, { x: 14, y: 20 }, { x: 14, y: 23.5 }], durationMs: 400, pauseBeforeMs: 100 },
    { address: { section: 3, owner: 27, note: 601, page: 3 }, points: [{ x: 50.25, y: 60.75 }, { x: 51, y: 61 }], durationMs: 80, pauseBeforeMs: 300 },
  ],
};

const ofPen = (events: HubEvent[], pen: string) => events.filter((e) => e.pen === pen);

describe('virtual hub through the receiver', () => {
  it('writes each scripted stroke as down, paper, dots along the path at 120 Hz, up with the dot count', () => {
    const { events, run } = classroom({ pens: 1, scripts: [script] });
    run(3000);
    const pen = ofPen(events, 'hub/0').filter((e) => e.type !== 'battery');
    expect(pen[0]).toMatchObject({ type: 'pen-connected', mac: script.mac, model: 'NWP-F30' });
    const first = pen.slice(1, 1 + 2 + dotsIn(script.strokes[0]!) + 1);
    expect(first.map((e) => e.type)).toEqual(['down', 'paper', ...Array(dotsIn(script.strokes[0]!)).fill('dot'), 'up']);
    expect(first[1]).toMatchObject({ note: 601, page: 2 });
    const dots = first.filter((e) => e.type === 'dot');
    expect(dots[0]).toMatchObject({ x: 10, y: 20 });
    expect(dots[dots.length - 1]).toMatchObject({ x: 14, y: 23.5 });
    expect(dots.every((d) => d.type === 'dot' && d.x >= 10 && d.x <= 14 && d.y >= 20 && d.y <= 23.5)).toBe(true);
    expect(first[first.length - 1]).toMatchObject({ type: 'up', dotCount: dots.length });
    const second = pen.slice(1 + first.length).filter((e) => e.type === 'dot');
    expect(second[0]).toMatchObject({ x: 50.25, y: 60.75 });
  });

  it('counts events up to 255 and wraps to 0, with no gaps on a clean link', () => {
    const { events, run } = classroom({ pens: 1, scripts: [script] });
    run(10_000);
    const counters = events.flatMap((e) => ('ec' in e && e.ec !== null ? [e.ec] : []));
    expect(counters.length).toBeGreaterThan(300);
    counters.slice(1).forEach((ec, i) => expect(ec).toBe((counters[i]! + 1) & 0xff));
  });

  it('with faults: damage is counted, parsing carries on, and pens come back after dropping off', () => {
    const { receiver, events, run } = classroom({ pens: 6, faults: { ...DEFAULT_FAULT_RATES, garbage: 0.05, disconnect: 1 / 600 } });
    run(30_000);
    const stats = receiver.stats();
    expect(stats.garbageBytes).toBeGreaterThan(0);
    expect(stats.malformedFrames).toBeGreaterThan(0);
    expect(events.filter((e) => e.type === 'dot').length).toBeGreaterThan(6 * 1000);
    const gone = events.find((e) => e.type === 'pen-disconnected');
    expect(gone).toMatchObject({ reason: 'out-of-range' });
    const back = events.slice(events.indexOf(gone!)).filter((e) => e.type === 'pen-connected' && e.pen === gone!.pen);
    expect(back.length).toBeGreaterThan(0);
  });
});
