import { describe, expect, it } from 'vitest';
import { MqttFrameMeter } from './frame-guard.js';

/** MQTT variable-length "remaining length" encoding. */
function varint(n: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    bytes.push(byte);
  } while (n > 0);
  return bytes;
}

/** A QoS 0 PUBLISH on topic "t" (2-byte length + 1 byte) with a zero payload of the given size. */
const publish = (payloadBytes: number): Buffer =>
  Buffer.concat([Buffer.from([0x30, ...varint(3 + payloadBytes), 0, 1, 0x74]), Buffer.alloc(payloadBytes)]);
const ping = Buffer.from([0xc0, 0x00]);

describe('MqttFrameMeter', () => {
  it('passes packets up to the limit, counting the whole packet', () => {
    const exact = publish(1000);
    expect(new MqttFrameMeter(exact.length).push(exact)).toBe(true);
    expect(new MqttFrameMeter(exact.length - 1).push(exact)).toBe(false);
  });

  it('follows framing across many packets and arbitrary chunk boundaries', () => {
    const stream = Buffer.concat([ping, publish(10), publish(300), ping, publish(0), publish(200_000)]);
    for (const chunkSize of [1, 2, 3, 7, 64, stream.length]) {
      const meter = new MqttFrameMeter(200_100);
      let ok = true;
      for (let i = 0; i < stream.length; i += chunkSize) ok &&= meter.push(stream.subarray(i, i + chunkSize));
      expect(ok, `chunk size ${chunkSize}`).toBe(true);
    }
  });

  it('trips on the header of an oversized packet, before its body arrives', () => {
    const big = publish(300_000);
    const meter = new MqttFrameMeter(256 * 1024);
    expect(meter.push(Buffer.concat([ping, big.subarray(0, 5)]))).toBe(false);
    // and stays tripped
    expect(meter.push(ping)).toBe(false);
  });

  it('trips on a remaining length longer than four bytes', () => {
    expect(new MqttFrameMeter(Number.MAX_SAFE_INTEGER).push(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]))).toBe(false);
  });
});
