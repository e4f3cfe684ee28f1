import { createConnection, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Resets every open connection, as a dropped network link would. */
  cut(): void;
  /** While blocked, new connections are reset at once (the link stays down). */
  block(blocked: boolean): void;
  /** While stalled, bytes are swallowed in both directions but connections stay open (a hung peer). */
  stall(stalled: boolean): void;
  close(): Promise<void>;
}

/** A loopback TCP relay to `targetPort`, so a test can break the link without touching either end's code. */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let blocked = false;
  let stalled = false;
  const server = createServer((downstream) => {
    if (blocked) {
      downstream.resetAndDestroy();
      return;
    }
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    for (const [a, b] of [[downstream, upstream], [upstream, downstream]] as const) {
      open.add(a);
      a.on('data', (chunk: Buffer) => {
        if (!stalled && !b.destroyed) b.write(chunk);
      });
      a.on('error', () => b.destroy());
      a.on('close', () => {
        open.delete(a);
        b.destroy();
      });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  const cut = (): void => {
    for (const socket of open) socket.resetAndDestroy();
  };
  return {
    port: address.port,
    cut,
    block(value) {
      blocked = value;
    },
    stall(value) {
      stalled = value;
    },
    async close() {
      cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
