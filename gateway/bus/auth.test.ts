import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { createAuthenticator, isLoopbackHost, type BusUser } from './auth.js';

// Cost 4 keeps the real bcrypt path fast in tests; production hashes use the configured cost.
const hash = (password: string): string => bcrypt.hashSync(password, 4);
const users: BusUser[] = [
  { username: 'it', passwordHash: hash('it-secret'), role: 'admin' },
  { username: 'pen', passwordHash: hash('pen-secret'), role: 'device', deviceIds: ['pen-1'] },
  { username: 'wall', passwordHash: hash('wall-secret'), role: 'viewer', deviceIds: ['ignored'] },
];
const pw = (s: string): Buffer => Buffer.from(s, 'utf8');

describe('listener rules', () => {
  it('anonymous is local on loopback only, and only when allowed', async () => {
    const open = createAuthenticator({ users, allowAnonymousLoopback: true });
    expect(await open.authenticate('loopback', undefined, undefined)).toEqual({ ok: true, principal: { role: 'local', deviceIds: [] } });
    for (const listener of ['lan', 'websocket'] as const) {
      expect(await open.authenticate(listener, undefined, undefined)).toMatchObject({ ok: false, returnCode: 5 });
    }
    const closed = createAuthenticator({ users, allowAnonymousLoopback: false });
    expect(await closed.authenticate('loopback', undefined, undefined)).toMatchObject({ ok: false, returnCode: 5 });
  });

  it('credentials give the user role on every listener, and bad ones are refused even on loopback', async () => {
    const auth = createAuthenticator({ users, allowAnonymousLoopback: true });
    for (const listener of ['loopback', 'lan', 'websocket'] as const) {
      expect(await auth.authenticate(listener, 'pen', pw('pen-secret'))).toEqual({ ok: true, principal: { role: 'device', deviceIds: ['pen-1'] } });
      expect(await auth.authenticate(listener, 'pen', pw('nope'))).toMatchObject({ ok: false, returnCode: 4, reason: 'wrong password' });
      expect(await auth.authenticate(listener, 'ghost', pw('pen-secret'))).toMatchObject({ ok: false, returnCode: 4, reason: 'unknown user' });
      expect(await auth.authenticate(listener, 'pen', undefined)).toMatchObject({ ok: false, returnCode: 4 });
      expect(await auth.authenticate(listener, undefined, pw('x'))).toMatchObject({ ok: false, returnCode: 4 });
    }
  });

  it('device ids only count for the device role', async () => {
    const auth = createAuthenticator({ users, allowAnonymousLoopback: false });
    expect(await auth.authenticate('lan', 'wall', pw('wall-secret'))).toEqual({ ok: true, principal: { role: 'viewer', deviceIds: [] } });
  });
});

describe('tokens', () => {
  it('accepts what tokenAuth accepts, before and instead of bcrypt', async () => {
    let bcryptCalls = 0;
    const auth = createAuthenticator({
      users,
      allowAnonymousLoopback: false,
      tokenAuth: (username, password) => (username === 'it' && password === 'session-token' ? 'viewer' : null),
      verifyPassword: async (password, passwordHash) => {
        bcryptCalls++;
        return bcrypt.compare(password, passwordHash);
      },
    });
    expect(await auth.authenticate('websocket', 'it', pw('session-token'))).toEqual({ ok: true, principal: { role: 'viewer', deviceIds: [] } });
    expect(bcryptCalls).toBe(0);
    // A refused token still falls back to the user's password.
    expect(await auth.authenticate('websocket', 'it', pw('it-secret'))).toEqual({ ok: true, principal: { role: 'admin', deviceIds: [] } });
    expect(await auth.authenticate('websocket', 'it', pw('stale-token'))).toMatchObject({ ok: false, returnCode: 4 });
  });
});

describe('password cache', () => {
  it('remembers successful checks for the TTL only, and never failures', async () => {
    let t = 0;
    let calls = 0;
    const auth = createAuthenticator({
      users,
      allowAnonymousLoopback: false,
      cacheTtlMs: 1000,
      now: () => t,
      verifyPassword: async (password, passwordHash) => {
        calls++;
        return bcrypt.compare(password, passwordHash);
      },
    });
    await auth.authenticate('lan', 'it', pw('it-secret'));
    await auth.authenticate('lan', 'it', pw('it-secret'));
    expect(calls).toBe(1);
    // A different password for the same user is not served from the cache.
    expect(await auth.authenticate('lan', 'it', pw('it-secret2'))).toMatchObject({ ok: false });
    expect(await auth.authenticate('lan', 'it', pw('it-secret2'))).toMatchObject({ ok: false });
    expect(calls).toBe(3);
    t = 1001;
    expect(await auth.authenticate('lan', 'it', pw('it-secret'))).toMatchObject({ ok: true });
    expect(calls).toBe(4);
  });
});

describe('configuration', () => {
  it('refuses bad hashes, duplicate users and device ids that are not one plain level', () => {
    const ok = users[0]!;
    expect(() => createAuthenticator({ users: [{ ...ok, passwordHash: 'plain' }], allowAnonymousLoopback: false })).toThrow(/bcrypt/);
    expect(() => createAuthenticator({ users: [ok, ok], allowAnonymousLoopback: false })).toThrow(/duplicate/);
    expect(() =>
      createAuthenticator({ users: [{ ...ok, role: 'device', deviceIds: ['pen/+'] }], allowAnonymousLoopback: false }),
    ).toThrow(/device id/);
  });

  it('recognises loopback hosts', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', 'localhost', '::ffff:127.0.0.1']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.10', '', '127.0.0.1.example.org']) expect(isLoopbackHost(h), h).toBe(false);
  });
});
