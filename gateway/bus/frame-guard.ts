/**
 * A maximum MQTT packet size. aedes's parser (mqtt-packet) has no limit: it buffers whatever
 * remaining length a packet header announces (up to 256 MiB) before parsing it, so one
 * misbehaving LAN client could exhaust the Pi's memory. We read the framing alongside aedes
 * and drop the connection as soon as a header announces a packet over the limit.
 */
import type { Duplex } from 'node:stream';

/** Follows MQTT fixed-header framing across arbitrary chunk boundaries, without keeping any bytes. */
export class MqttFrameMeter {
  #phase: 'type' | 'length' | 'body' = 'type';
  #remaining = 0;
  #multiplier = 1;
  #lengthBytes = 0;
  #tripped = false;

  constructor(readonly maxPacketBytes: number) {}

  /** Feed the next inbound bytes; false once a packet over the limit (or a malformed length) is seen. */
  push(chunk: Uint8Array): boolean {
    let i = 0;
    while (!this.#tripped && i < chunk.length) {
      if (this.#phase === 'type') {
        i++;
        this.#phase = 'length';
        this.#remaining = 0;
        this.#multiplier = 1;
        this.#lengthBytes = 0;
      } else if (this.#phase === 'length') {
        const byte = chunk[i++]!;
        this.#remaining += (byte & 0x7f) * this.#multiplier;
        this.#multiplier *= 128;
        this.#lengthBytes++;
        if (byte & 0x80) {
          // The remaining length is at most four bytes [MQTT-2.2.3].
          if (this.#lengthBytes === 4) this.#tripped = true;
        } else if (1 + this.#lengthBytes + this.#remaining > this.maxPacketBytes) {
          this.#tripped = true;
        } else {
          this.#phase = this.#remaining === 0 ? 'type' : 'body';
        }
      } else {
        const skipped = Math.min(this.#remaining, chunk.length - i);
        i += skipped;
        this.#remaining -= skipped;
        if (this.#remaining === 0) this.#phase = 'type';
      }
    }
    return !this.#tripped;
  }
}

/**
 * Destroys `stream` when an inbound packet exceeds `maxPacketBytes`. Call it after aedes.handle():
 * aedes consumes the stream with 'readable' + read(), and Node then emits 'data' for every read()
 * without switching the stream to flowing mode, so we see each chunk just before aedes parses it.
 */
export function guardPacketSize(stream: Duplex, maxPacketBytes: number, onOversize: () => void): void {
  const meter = new MqttFrameMeter(maxPacketBytes);
  const onData = (chunk: Buffer): void => {
    if (meter.push(chunk)) return;
    stream.off('data', onData);
    onOversize();
    stream.destroy();
  };
  stream.on('data', onData);
}
