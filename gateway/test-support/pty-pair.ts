import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PtyPair {
  /** Where the (simulated) hub writes. */
  hub: string;
  /** The gateway's serial port: what the hub wrote comes out here, and back. */
  host: string;
  /** Kills socat, as if the cable were pulled, and removes the links. */
  close(): Promise<void>;
}

/** Two linked pseudo-terminals made by socat: real serial ports for a hub and the gateway. */
export async function socatPtyPair(): Promise<PtyPair> {
  const dir = await mkdtemp(join(tmpdir(), 'pty-pair-'));
  const [hub, host] = [join(dir, 'hub'), join(dir, 'host')];
  const socat = spawn('/usr/bin/socat', ['-d', '-d', `pty,raw,echo=0,link=${hub}`, `pty,raw,echo=0,link=${host}`], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => socat.once('exit', () => resolve()));
  const close = async () => {
    socat.kill();
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  for (const end = Date.now() + 5000; !(existsSync(hub) && existsSync(host)); ) {
    if (Date.now() > end || socat.exitCode !== null) {
      await close();
      throw new Error('socat did not make the pty pair within 5 s (is socat installed? apt-get install socat)');
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return { hub, host, close };
}
