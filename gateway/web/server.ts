import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import type { Response } from 'express';
import type { Logger } from '../log/logger.js';
import { projectRoot } from '../util/project-root.js';
import { apiRouter, type Action, type Download } from './api.js';
import type { LoginGuardOptions } from './sessions.js';
import type { StatusSnapshot } from './status-types.js';

export interface WebServerOptions {
  host: string;
  port: number;
  logger: Logger;
  /** bcrypt hash; the same admin password as the Node-RED editor. */
  adminPasswordHash: string;
  status: () => Promise<StatusSnapshot>;
  /** POST /api/actions/:name calls actions[name](body) for a logged-in admin. */
  actions: Record<string, Action>;
  /** GET /api/downloads/:name?… for a logged-in admin (printouts, wrong-question books). */
  downloads?: Record<string, Download>;
  /** Admin session lifetime; default 12 h. */
  sessionTtlMs?: number;
  /** Default: 5 tries, then 1 min lockout doubling up to 15 min. */
  loginGuard?: LoginGuardOptions;
}

export interface WebServer {
  server: http.Server;
  /** Others (Node-RED) mount their routes here; ours claim only /api and the page's files. */
  app: express.Express;
  listen(): Promise<AddressInfo>;
  close(): Promise<void>;
}

const HOURS = 60 * 60 * 1000;
const CLOSE_GRACE_MS = 2000;

/** Only on responses of ours: the Node-RED editor on the same app needs inline scripts. */
const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

function publicDir(): string {
  return join(projectRoot(), 'gateway', 'web', 'public');
}

/** The gateway's HTTP server: its status page, the JSON API, and room for Node-RED. */
export function createWebServer(options: WebServerOptions): WebServer {
  const app = express();
  app.disable('x-powered-by');
  const setSecurityHeaders = (res: Response | http.ServerResponse) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  };

  app.use('/api', (_req, res, next) => {
    setSecurityHeaders(res);
    next();
  });
  app.use(
    '/api',
    apiRouter({
      logger: options.logger.child({ component: 'web' }),
      adminPasswordHash: options.adminPasswordHash,
      status: options.status,
      actions: options.actions,
      downloads: options.downloads ?? {},
      sessionTtlMs: options.sessionTtlMs ?? 12 * HOURS,
      loginGuard: options.loginGuard ?? { maxFailures: 5, lockMs: 60_000, maxLockMs: 15 * 60_000 },
    }),
  );
  // No catch-all after this: whatever is mounted later (the editor) must still be reachable.
  app.use(express.static(publicDir(), { setHeaders: setSecurityHeaders, cacheControl: true, maxAge: 0 }));

  const server = http.createServer(app);
  // closeAllConnections() misses upgraded sockets (the editor's and the MQTT bus's WebSockets),
  // which would hold close() open for ever: keep our own list.
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return {
    server,
    app,
    listen: () =>
      new Promise<AddressInfo>((resolve, reject) => {
        const onError = (err: Error) => reject(err);
        server.once('error', onError);
        server.listen(options.port, options.host, () => {
          server.off('error', onError);
          const address = server.address() as AddressInfo;
          options.logger.info({ address: address.address, port: address.port }, 'web server listening');
          resolve(address);
        });
      }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (!server.listening) return resolve();
        server.close((err) => (err ? reject(err) : resolve()));
        // Polling pages keep idle keep-alive sockets; requests in flight get a short grace.
        server.closeIdleConnections();
        setTimeout(() => {
          for (const socket of sockets) socket.destroy();
        }, CLOSE_GRACE_MS).unref();
      }),
  };
}
