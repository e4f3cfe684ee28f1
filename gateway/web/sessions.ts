import { randomBytes } from 'node:crypto';

export interface Session {
  expiresAt: number;
}

/**
 * Admin sessions of the gateway page, in memory: a restart logs everyone out, which is fine for
 * a box with one admin password. Bounded, so a flood of logins cannot grow it without limit.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxSessions = 64,
    private readonly now: () => number = Date.now,
  ) {}

  create(): { token: string; session: Session } {
    this.prune();
    // Map keeps insertion order: the first key is the oldest session.
    while (this.sessions.size >= this.maxSessions) {
      const oldest = this.sessions.keys().next().value;
      if (oldest === undefined) break;
      this.sessions.delete(oldest);
    }
    const token = randomBytes(32).toString('base64url');
    const session = { expiresAt: this.now() + this.ttlMs };
    this.sessions.set(token, session);
    return { token, session };
  }

  get(token: string | undefined): Session | null {
    if (token === undefined) return null;
    const session = this.sessions.get(token);
    if (!session) return null;
    if (session.expiresAt <= this.now()) {
      this.sessions.delete(token);
      return null;
    }
    return session;
  }

  revoke(token: string | undefined): void {
    if (token !== undefined) this.sessions.delete(token);
  }

  private prune(): void {
    const now = this.now();
    for (const [token, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(token);
  }
}

export interface LoginGuardOptions {
  /** Attempts allowed without a success before the client is locked out. */
  maxFailures: number;
  /** First lockout; each further one doubles, up to maxLockMs. */
  lockMs: number;
  maxLockMs: number;
}

interface Client {
  attempts: number;
  lockouts: number;
  lockedUntil: number;
  lastSeen: number;
}

/**
 * Brute-force guard for the admin password, per client address. An attempt counts as a failure
 * from the moment it starts (bcrypt is slow), so parallel guesses cannot slip past the limit.
 */
export class LoginGuard {
  private readonly clients = new Map<string, Client>();
  private static readonly MAX_CLIENTS = 10_000;

  constructor(
    private readonly options: LoginGuardOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** Registers an attempt; returns 0 if it may proceed, else the milliseconds until it may. */
  attempt(address: string): number {
    const now = this.now();
    this.forgetIdle(now);
    const client = this.clients.get(address) ?? { attempts: 0, lockouts: 0, lockedUntil: 0, lastSeen: now };
    this.clients.delete(address); // re-insert: the map stays ordered by last activity
    this.clients.set(address, client);
    client.lastSeen = now;
    if (client.lockedUntil > now) return client.lockedUntil - now;
    client.attempts++;
    if (client.attempts > this.options.maxFailures) {
      client.lockouts++;
      client.attempts = 0;
      client.lockedUntil = now + Math.min(this.options.maxLockMs, this.options.lockMs * 2 ** (client.lockouts - 1));
      return client.lockedUntil - now;
    }
    return 0;
  }

  succeeded(address: string): void {
    this.clients.delete(address);
  }

  private forgetIdle(now: number): void {
    for (const [address, c] of this.clients) {
      const idle = c.lastSeen + this.options.maxLockMs <= now && c.lockedUntil <= now;
      if (!idle && this.clients.size < LoginGuard.MAX_CLIENTS) break; // ordered by activity: the rest is newer
      this.clients.delete(address);
    }
  }
}
