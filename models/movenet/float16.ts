/**
 * IEEE 754 half precision → single precision. The TF.js weights in @vladmandic/human are stored
 * as float16 to halve the download; TF.js widens them on load and so must we, bit-exactly, or
 * the ONNX model would not reproduce the reference.
 */
export function float16ToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024); // subnormal (or ±0)
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** Decodes `count` little-endian float16 values starting at `byteOffset`. */
export function decodeFloat16(bytes: Uint8Array, byteOffset: number, count: number): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset + byteOffset, count * 2);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = float16ToFloat32(view.getUint16(i * 2, true));
  return out;
}
