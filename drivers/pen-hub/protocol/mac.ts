/** Bluetooth addresses travel as 6 bytes in print order and are shown as "9C:7B:D2:00:11:22". */
export function formatMac(bytes: Buffer): string {
  return [...bytes.subarray(0, 6)].map((x) => x.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

export function macBytes(mac: string): Buffer {
  const out = Buffer.alloc(6);
  mac.split(':').slice(0, 6).forEach((h, i) => (out[i] = parseInt(h, 16) & 0xff));
  return out;
}
