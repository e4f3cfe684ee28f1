import { ESCAPE, ESCAPE_XOR, FRAME_END, FRAME_START, hasResultByte } from './commands.js';

function isSpecial(b: number): boolean {
  return b === FRAME_START || b === FRAME_END || b === ESCAPE;
}

/** Header + payload as the pen or host puts it on the wire: `cmd [result] len(u16 LE) payload`. */
export function packet(cmd: number, payload: Buffer = Buffer.alloc(0), result = 0): Buffer {
  const withResult = hasResultByte(cmd);
  const header = Buffer.alloc(withResult ? 4 : 3);
  header[0] = cmd;
  if (withResult) header[1] = result;
  header.writeUInt16LE(payload.length, header.length - 2);
  return Buffer.concat([header, payload]);
}

/** `C0 <escaped packet> C1`: every C0, C1 and 7D inside, header included, becomes 7D (b ^ 20). */
export function frame(raw: Buffer): Buffer {
  let specials = 0;
  for (const b of raw) if (isSpecial(b)) specials += 1;
  const out = Buffer.allocUnsafe(raw.length + specials + 2);
  let o = 0;
  out[o++] = FRAME_START;
  for (const b of raw) {
    if (isSpecial(b)) {
      out[o++] = ESCAPE;
      out[o++] = b ^ ESCAPE_XOR;
    } else {
      out[o++] = b;
    }
  }
  out[o] = FRAME_END;
  return out;
}

export function framedPacket(cmd: number, payload?: Buffer, result?: number): Buffer {
  return frame(packet(cmd, payload, result));
}
