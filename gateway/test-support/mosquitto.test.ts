import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { retainedMessage } from './district-subscriber.js';
import { startMosquitto } from './mosquitto.js';

const path = process.env.PATH;
afterEach(() => {
  process.env.PATH = path;
});

describe('startMosquitto', () => {
  it('says how to install mosquitto when it is missing', async () => {
    process.env.PATH = '/nonexistent';
    await expect(startMosquitto()).rejects.toThrow(/apt-get install mosquitto/);
  });

  it('restarts on the same port and keeps what it persisted on SIGTERM', async () => {
    const broker = await startMosquitto({ persistence: true });
    try {
      const client = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
      await client.publishAsync('t/kept', 'hello', { qos: 1, retain: true });
      await client.endAsync();
      const port = broker.port;
      await broker.restart();
      expect(broker.port).toBe(port);
      expect((await retainedMessage(broker.url, 't/kept'))?.payload.toString()).toBe('hello');
    } finally {
      await broker.dispose();
    }
  });
});
