import bcrypt from 'bcryptjs';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../log/logger.js';
import { deriveHealth, healthHttpStatus } from './health.js';
import { LoginGuard, SessionStore, type LoginGuardOptions } from './sessions.js';
import type { StatusSnapshot } from './status-types.js';

export type Action = (args: unknown) => Promise<unknown>;

/** A file an admin may fetch (printouts, wrong-question books): built on request from the query. */
export type Download = (query: Record<string, string>) => Promise<{ filename: string; contentType: string; body: Buffer }>;

export interface ApiOptions {
  logger: Logger;
  adminPasswordHash: string;
  status: () => Promise<StatusSnapshot>;
  actions: Record<string, Action>;
  downloads: Record<string, Download>;
  sessionTtlMs: number;
  loginGuard: LoginGuardOptions;
}

const COOKIE = 'gw_session';
const BODY_LIMIT = '64kb';

/** The JSON API under /api: public reads, and state changes behind an admin session. */
export function apiRouter(options: ApiOptions): express.Router {
  const { logger, actions } = options;
  const sessions = new SessionStore(options.sessionTtlMs);
  const guard = new LoginGuard(options.loginGuard);
  const router = express.Router();

  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  router.use(guardWrites);
  router.use(express.json({ limit: BODY_LIMIT }));

  router.get('/health', route(async (_req, res) => {
    const report = await snapshot(options.status, logger).then(
      (s) => deriveHealth(s),
      (err: unknown) => deriveHealth(null, `status unavailable: ${message(err)}`),
    );
    res.status(healthHttpStatus(report)).json(report);
  }));

  router.get('/status', route(async (req, res) => {
    try {
      res.json(publicView(await snapshot(options.status, logger), sessions.get(cookieToken(req)) !== null));
    } catch (err) {
      res.status(503).json({ error: `status unavailable: ${message(err)}` });
    }
  }));

  router.get('/session', (req, res) => {
    const session = sessions.get(cookieToken(req));
    res.json({ authenticated: session !== null, expiresAt: session ? new Date(session.expiresAt).toISOString() : null, actions: Object.keys(actions) });
  });

  router.post('/login', route(async (req, res) => {
    const password: unknown = (req.body as { password?: unknown } | undefined)?.password;
    if (typeof password !== 'string' || password === '') return void res.status(400).json({ error: 'password required' });
    const address = req.socket.remoteAddress ?? 'unknown';
    const waitMs = guard.attempt(address);
    if (waitMs > 0) {
      logger.warn({ address }, 'admin login refused: too many attempts');
      res.set('Retry-After', String(Math.ceil(waitMs / 1000)));
      return void res.status(429).json({ error: 'too many attempts', retryAfterSeconds: Math.ceil(waitMs / 1000) });
    }
    if (!(await bcrypt.compare(password, options.adminPasswordHash))) {
      logger.warn({ address }, 'admin login failed: wrong password');
      return void res.status(401).json({ error: 'wrong password' });
    }
    guard.succeeded(address);
    sessions.revoke(cookieToken(req));
    const { token, session } = sessions.create();
    const maxAge = Math.floor(options.sessionTtlMs / 1000);
    // No Secure flag: the box serves plain HTTP on the school LAN.
    res.set('Set-Cookie', `${COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}`);
    logger.info({ address }, 'admin logged in');
    res.json({ authenticated: true, expiresAt: new Date(session.expiresAt).toISOString() });
  }));

  router.post('/logout', (req, res) => {
    sessions.revoke(cookieToken(req));
    res.set('Set-Cookie', `${COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
    res.status(204).end();
  });

  router.post('/actions/:name', route(async (req, res) => {
    if (!sessions.get(cookieToken(req))) return void res.status(401).json({ error: 'log in first' });
    const name = req.params.name ?? '';
    // Own properties only: 'constructor' or '__proto__' must not reach Object.prototype.
    const action = Object.hasOwn(actions, name) ? actions[name] : undefined;
    if (typeof action !== 'function') return void res.status(404).json({ error: `unknown action "${name}"` });
    logger.info({ action: name }, 'action requested');
    try {
      const result = await action(req.body);
      res.json({ ok: true, result: result ?? null });
    } catch (err) {
      logger.error({ err, action: name }, 'action failed');
      res.status(500).json({ error: `action "${name}" failed: ${message(err)}` });
    }
  }));

  router.get('/downloads/:name', route(async (req, res) => {
    // Student work: only for a logged-in admin, like every change of state.
    if (!sessions.get(cookieToken(req))) return void res.status(401).json({ error: 'log in first' });
    const name = req.params.name ?? '';
    const download = Object.hasOwn(options.downloads, name) ? options.downloads[name] : undefined;
    if (typeof download !== 'function') return void res.status(404).json({ error: `unknown download "${name}"` });
    const query = Object.fromEntries(Object.entries(req.query).filter((e): e is [string, string] => typeof e[1] === 'string'));
    try {
      const file = await download(query);
      res.set('Content-Type', file.contentType).set('Content-Disposition', `attachment; filename="${file.filename.replace(/[^\w.-]/g, '_')}"`).send(file.body);
    } catch (err) {
      res.status(404).json({ error: message(err) });
    }
  }));

  router.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return void res.destroy();
    const status = (err as { status?: unknown }).status;
    // body-parser's errors carry 4xx statuses: malformed JSON (400), too large (413), charset (415).
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const text = status === 400 ? 'malformed JSON body' : status === 413 ? `body larger than ${BODY_LIMIT}` : message(err);
      return void res.status(status).json({ error: text });
    }
    logger.error({ err }, 'web API error');
    res.status(500).json({ error: 'internal error' });
  });
  return router;
}

/** Express 4 ignores a rejected handler promise (it would crash the process): pass it on instead. */
function route(handler: (req: Request, res: Response) => Promise<void>): express.RequestHandler {
  return (req, res, next) => {
    handler(req, res).catch(next);
  };
}

/**
 * Cross-site request forgery guard for every non-read request: browsers send Origin (and
 * Sec-Fetch-Site) with POSTs, so a page from another origin is refused; clients that send
 * neither are not browsers and cannot carry a victim's cookie. Bodies must be JSON, which a
 * cross-site form cannot produce.
 */
function guardWrites(req: Request, res: Response, next: NextFunction): void {
  if (req.method === 'GET' || req.method === 'HEAD') return next();
  if (!sameOrigin(req)) return void res.status(403).json({ error: 'cross-origin request refused' });
  const hasBody = req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0';
  if (hasBody && !req.is('application/json')) return void res.status(415).json({ error: 'send JSON (Content-Type: application/json)' });
  next();
}

function sameOrigin(req: Request): boolean {
  const site = req.get('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.get('origin');
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.get('host');
  } catch {
    return false; // 'null' from sandboxed frames and file: pages
  }
}

function cookieToken(req: Request): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === COOKIE && value) return value;
  }
  return undefined;
}

async function snapshot(status: () => Promise<StatusSnapshot>, logger: Logger): Promise<StatusSnapshot> {
  try {
    return await status();
  } catch (err) {
    logger.error({ err }, 'status snapshot failed');
    throw err;
  }
}

/**
 * Rebuilds the parts that could leak: message summaries keep only their whitelisted fields (a
 * provider passing whole messages must not expose student payloads), URLs lose credentials.
 * Who handed in, who is writing and who is at a mirror is student data: only for a logged-in admin.
 */
function publicView(s: StatusSnapshot, authenticated: boolean): StatusSnapshot {
  return {
    ...s,
    ...(s.homework ? { homework: s.homework.map((h) => ({ ...h, students: authenticated ? h.students : [] })) } : {}),
    ...(s.pens ? { pens: { ...s.pens, students: authenticated ? s.pens.students : [] } } : {}),
    ...(s.mirrors ? { mirrors: s.mirrors.map((m) => ({ ...m, student: authenticated ? m.student : null })) } : {}),
    uplink: { ...s.uplink, url: withoutCredentials(s.uplink.url) },
    recentMessages: s.recentMessages.map(({ at, topic, schema, bytes, direction }) => ({ at, topic, schema, bytes, direction })),
    links: { editor: s.links.editor, mqttWebSocket: withoutCredentials(s.links.mqttWebSocket) },
  };
}

function withoutCredentials(url: string | null): string | null {
  if (url === null) return null;
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url;
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
