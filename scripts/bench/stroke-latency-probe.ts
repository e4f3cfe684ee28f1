/**
 * The latency subscriber of bench:pens, in a process of its own so that its MQTT client and JSON
 * parsing are not counted in the gateway's CPU share. Subscribes to the strokes on the local bus;
 * on SIGTERM prints one JSON line: the latency of each stroke from its pen-up to its arrival, ms.
 *
 *   tsx scripts/bench/stroke-latency-probe.ts <bus url> <topic>
 */
import mqtt from 'mqtt';

const [url, topic] = process.argv.slice(2);
if (!url || !topic) throw new Error('usage: stroke-latency-probe.ts <bus url> <topic>');

const latencies: number[] = [];
let measuring = false;
const client = await mqtt.connectAsync(url, { protocolVersion: 4 });
client.on('message', (_topic, payload) => {
  if (!measuring) return;
  const stroke = JSON.parse(payload.toString()) as { endedAt: string };
  latencies.push(Date.now() - Date.parse(stroke.endedAt));
});
await client.subscribeAsync(topic, { qos: 0 });
// SIGUSR1 starts the window; SIGTERM ends it.
process.on('SIGUSR1', () => (measuring = true));
process.on('SIGTERM', () => {
  process.stdout.write(`${JSON.stringify(latencies)}\n`, () => process.exit(0));
});
process.stdout.write('subscribed\n');
