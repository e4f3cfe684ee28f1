import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { MirrorCheckin, MirrorLive, MirrorSession } from '../contract/types.generated.js';
import type { ScreenFrame } from '../mirror/screen/wire.js';
import { contractProblems } from '../test-support/contract-check.js';
import { DistrictSubscriber } from '../test-support/district-subscriber.js';
import { startGatewayProcess, type GatewayProcess } from '../test-support/gateway-process.js';
import { startMosquitto, type MosquittoBroker } from '../test-support/mosquitto.js';
import type { StatusSnapshot } from '../web/status-types.js';

/**
 * The magic mirror with no configuration but a short programme: the default simulated camera
 * shows the example class's students walking up, holding their check-in card to the camera and
 * doing squats; the real pose model, counter and session run in the real gateway, and the
 * district (mosquitto) gets the check-ins and session summaries through the uplink.
 */
describe('the magic mirror, from the simulated camera to the district and the screen (e2e)', () => {
  let broker: MosquittoBroker;
  let gateway: GatewayProcess;
  let district: DistrictSubscriber;

  beforeAll(async () => {
    broker = await startMosquitto();
    gateway = await startGatewayProcess({
      settings: {
        district: { url: broker.url },
        devices: [{ id: 'camera-1', kind: 'camera', transport: 'simulated' }],
        mirror: { programme: [{ exercise: 'squat', reps: 3 }], leaveAfterSeconds: 3 },
      },
    });
    district = await DistrictSubscriber.connect(broker.url, `${gateway.baseTopic}/#`);
  }, 60_000);

  afterAll(async () => {
    await district?.client.endAsync();
    await gateway?.kill('SIGTERM');
    await broker?.dispose();
  });

  const data = <T>(suffix: string) => district.envelopes(`${gateway.baseTopic}/${suffix}`).map((e) => e.data as T);

  it('checks the student in by their QR card, counts their squats and sends the session when they leave', async () => {
    const why = () => `gateway: ${gateway.output().slice(-3000)}`;
    await district.waitFor(() => data<MirrorSession>('mirror/camera-1/session').length > 0, 90_000, `a mirror session\n${why()}`);
    const [checkin] = data<MirrorCheckin>('mirror/camera-1/checkin');
    const [session] = data<MirrorSession>('mirror/camera-1/session');
    expect(checkin).toMatchObject({ station: 'camera-1', method: 'qr', studentId: 's01', classId: '5b' });
    expect(session).toMatchObject({ sessionId: checkin!.sessionId, method: 'qr', studentId: 's01', exercises: [{ exerciseId: 'squat', reps: 3 }] });
    expect(session!.exercises[0]!.meanScore).toBeGreaterThan(50);

    // Only counts and scores leave the box: no frame, no keypoints, nothing of the live view.
    const ours = district.received.filter((m) => m.topic.startsWith(`${gateway.baseTopic}/mirror/`));
    expect(ours.map((m) => m.topic.split('/').at(-1))).not.toContain('live');
    expect(ours.map((m) => m.topic.split('/').at(-1))).not.toContain('rep');
    expect(Math.max(...ours.map((m) => m.payload.length))).toBeLessThan(4096);
    expect(ours.some((m) => m.payload.includes(Buffer.from([0xff, 0xd8])) || /keypoints/.test(m.payload.toString()))).toBe(false);
    expect(contractProblems(gateway.baseTopic, district.received)).toEqual([]);
  });

  it('drives the mirror screen live over its WebSocket, and lists the mirror on the status page', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${gateway.webPort}/mirror/live?station=camera-1`, { origin: `http://127.0.0.1:${gateway.webPort}` });
    const frames: ScreenFrame[] = [];
    socket.on('message', (data) => frames.push(JSON.parse(data.toString()) as ScreenFrame));
    const lives = () => frames.flatMap((f) => (f.type === 'live' ? [f.live] : []));
    const posed = (): MirrorLive | undefined => lives().find((l) => l.pose !== null);
    // While a student exercises (in an empty corridor the mirror looks at a few frames a second only).
    const exercising = (): MirrorLive | undefined => lives().findLast((l) => l.state === 'exercising' && l.pose !== null);
    await district.waitFor(() => exercising() !== undefined, 60_000, 'a live view of a student exercising on the mirror screen');
    socket.close();
    expect(frames[0]).toEqual({ type: 'hello', station: 'camera-1', stations: ['camera-1'] });
    const live = posed()!;
    expect(live.pose!.keypoints).toHaveLength(17);
    // The student stands upright in front of the camera: nose above the hips above the ankles.
    const [nose, hip, ankle] = [0, 11, 15].map((i) => live.pose!.keypoints[i]![1]);
    expect(nose!).toBeLessThan(hip!);
    expect(hip!).toBeLessThan(ankle!);
    expect(exercising()!.fps).toBeGreaterThan(5);

    const status = (await (await fetch(`http://127.0.0.1:${gateway.webPort}/api/status`)).json()) as StatusSnapshot;
    expect(status.mirrors).toEqual([expect.objectContaining({ station: 'camera-1', student: null })]);
  });
});
