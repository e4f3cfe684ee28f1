/**
 * Who is connecting: turns (listener, username, password) into a Principal or a CONNACK refusal.
 * Kept apart from aedes so the listener rules and the password cache are testable on their own.
 */
import { createHmac, randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { isValidDeviceId, type Principal, type Role } from './acl.js';

/** The listener a connection came in on, tagged when the server accepted it. */
export type ListenerName = 'loopback' | 'lan' | 'websocket';

export interface BusUser {
  username: string;
  passwordHash: string;
  role: Role;
  deviceIds?: string[];
}

/** Extra credentials the gateway issues itself (web-session tokens, internal clients). Must be cheap. */
export type TokenAuth = (username: string, password: string) => Role | null;

/** MQTT 3.1.1 CONNACK return codes this module uses. */
export const BAD_USERNAME_OR_PASSWORD = 4;
export const NOT_AUTHORIZED = 5;

export type AuthResult =
  | { ok: true; principal: Principal }
  | { ok: false; returnCode: typeof BAD_USERNAME_OR_PASSWORD | typeof NOT_AUTHORIZED; reason: string };

export interface AuthenticatorOptions {
  users: readonly BusUser[];
  tokenAuth?: TokenAuth;
  /** Anonymous clients on the loopback listener become `local` (full trust); refused everywhere else. */
  allowAnonymousLoopback: boolean;
  /** How long a successful bcrypt check is remembered. */
  cacheTtlMs?: number;
  /** Injected in tests to count or fake the (slow) bcrypt comparison. */
  verifyPassword?: (password: string, hash: string) => Promise<boolean>;
  now?: () => number;
}

export interface Authenticator {
  authenticate(listener: ListenerName, username: string | undefined, password: Buffer | undefined): Promise<AuthResult>;
}

// bcrypt costs ~0.1–1 s per check on a Pi; clients that reconnect (Node-RED, the web page) would pay it each time.
const DEFAULT_CACHE_TTL_MS = 5 * 60_000;
// A bound on the cache so a stream of distinct good logins cannot grow it without limit.
const MAX_CACHE_ENTRIES = 1024;
const BCRYPT_HASH = /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/;

/** Whether a listen host can only be reached from the box itself (anonymous clients there are trusted). */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const users = new Map<string, BusUser>();
  for (const user of options.users) {
    // Configuration mistakes here would silently lock someone out or widen a device's topics: fail at start-up.
    if (users.has(user.username)) throw new Error(`bus: duplicate user ${JSON.stringify(user.username)}`);
    if (!BCRYPT_HASH.test(user.passwordHash)) throw new Error(`bus: user ${JSON.stringify(user.username)} has no valid bcrypt passwordHash`);
    for (const id of user.deviceIds ?? []) {
      if (!isValidDeviceId(id)) throw new Error(`bus: user ${JSON.stringify(user.username)} has invalid device id ${JSON.stringify(id)}`);
    }
    users.set(user.username, user);
  }
  const verify = options.verifyPassword ?? ((password, hash) => bcrypt.compare(password, hash));
  const ttl = options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS;
  const now = options.now ?? Date.now;

  // Keyed by a keyed hash of the credentials, so the cache never holds a password, and a
  // per-process secret so its keys are useless outside this process.
  const cacheSecret = randomBytes(32);
  const verified = new Map<string, number>();
  const cacheKey = (username: string, password: string): string =>
    createHmac('sha256', cacheSecret).update(username).update('\0').update(password).digest('base64');

  function remember(key: string): void {
    if (verified.size >= MAX_CACHE_ENTRIES) {
      for (const [k, expires] of verified) if (expires <= now()) verified.delete(k);
      if (verified.size >= MAX_CACHE_ENTRIES) verified.clear();
    }
    verified.set(key, now() + ttl);
  }

  async function passwordMatches(user: BusUser, password: string): Promise<boolean> {
    const key = cacheKey(user.username, password);
    const expires = verified.get(key);
    if (expires !== undefined && expires > now()) return true;
    verified.delete(key);
    if (!(await verify(password, user.passwordHash))) return false;
    remember(key);
    return true;
  }

  return {
    async authenticate(listener, username, password) {
      if (username === undefined && password === undefined) {
        if (listener === 'loopback' && options.allowAnonymousLoopback) return { ok: true, principal: { role: 'local', deviceIds: [] } };
        return { ok: false, returnCode: NOT_AUTHORIZED, reason: `credentials required on the ${listener} listener` };
      }
      if (username === undefined) return { ok: false, returnCode: BAD_USERNAME_OR_PASSWORD, reason: 'password without username' };
      const secret = password?.toString('utf8') ?? '';

      // Tokens first: they are cheap, and a web session presents a token for a name that may also be a configured user.
      const tokenRole = options.tokenAuth?.(username, secret);
      if (tokenRole) return { ok: true, principal: { role: tokenRole, deviceIds: [] } };

      const user = users.get(username);
      if (!user) return { ok: false, returnCode: BAD_USERNAME_OR_PASSWORD, reason: 'unknown user' };
      if (!(await passwordMatches(user, secret))) return { ok: false, returnCode: BAD_USERNAME_OR_PASSWORD, reason: 'wrong password' };
      return { ok: true, principal: { role: user.role, deviceIds: user.role === 'device' ? (user.deviceIds ?? []) : [] } };
    },
  };
}
