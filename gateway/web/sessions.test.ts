import { describe, expect, it } from 'vitest';
import { LoginGuard, SessionStore } from './sessions.js';

describe('SessionStore', () => {
  it('issues random 32-byte tokens that expire', () => {
    let now = 1_000;
    const store = new SessionStore(60_000, 64, () => now);
    const a = store.create();
    const b = store.create();
    expect(Buffer.from(a.token, 'base64url')).toHaveLength(32);
    expect(a.token).not.toBe(b.token);
    expect(store.get(a.token)).toEqual({ expiresAt: 61_000 });
    now = 61_000;
    expect(store.get(a.token)).toBeNull();
    expect(store.get(undefined)).toBeNull();
  });

  it('revokes, and drops the oldest session when full', () => {
    const store = new SessionStore(60_000, 2);
    const first = store.create().token;
    const second = store.create().token;
    store.create();
    expect(store.get(first)).toBeNull();
    expect(store.get(second)).not.toBeNull();
    store.revoke(second);
    expect(store.get(second)).toBeNull();
  });
});

describe('LoginGuard', () => {
  it('locks a client out after too many attempts, doubling the lockout, and forgets on success', () => {
    let now = 0;
    const guard = new LoginGuard({ maxFailures: 3, lockMs: 1_000, maxLockMs: 3_000 }, () => now);
    for (let i = 0; i < 3; i++) expect(guard.attempt('10.0.0.5')).toBe(0);
    expect(guard.attempt('10.0.0.5')).toBe(1_000);
    expect(guard.attempt('10.0.0.9')).toBe(0); // per client
    now = 500;
    expect(guard.attempt('10.0.0.5')).toBe(500);
    now = 1_000;
    for (let i = 0; i < 3; i++) expect(guard.attempt('10.0.0.5')).toBe(0);
    expect(guard.attempt('10.0.0.5')).toBe(2_000);
    now = 3_000;
    for (let i = 0; i < 3; i++) expect(guard.attempt('10.0.0.5')).toBe(0);
    expect(guard.attempt('10.0.0.5')).toBe(3_000); // capped
    now = 6_000;
    expect(guard.attempt('10.0.0.5')).toBe(0);
    guard.succeeded('10.0.0.5');
    for (let i = 0; i < 3; i++) expect(guard.attempt('10.0.0.5')).toBe(0);
    expect(guard.attempt('10.0.0.5')).toBe(1_000);
  });

  it('forgets a client idle for the longest lockout, so memory stays bounded', () => {
    let now = 0;
    const guard = new LoginGuard({ maxFailures: 1, lockMs: 1_000, maxLockMs: 4_000 }, () => now);
    guard.attempt('10.0.0.5');
    expect(guard.attempt('10.0.0.5')).toBe(1_000);
    now = 2_000;
    guard.attempt('10.0.0.5');
    expect(guard.attempt('10.0.0.5')).toBe(2_000); // remembered: the lockout doubled
    now = 8_000;
    guard.attempt('10.0.0.5');
    expect(guard.attempt('10.0.0.5')).toBe(1_000); // forgotten: back to the first lockout
  });
});
