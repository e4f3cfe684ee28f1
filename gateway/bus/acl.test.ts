import { describe, expect, it } from 'vitest';
import { createAcl, isValidDeviceId, isValidFilter, isValidTopicName, type Principal } from './acl.js';

const BASE = 'classroom/demo-school/demo-classroom/gateway-1';
const acl = createAcl(BASE);

const local: Principal = { role: 'local', deviceIds: [] };
const admin: Principal = { role: 'admin', deviceIds: [] };
const viewer: Principal = { role: 'viewer', deviceIds: [] };
const pen: Principal = { role: 'device', deviceIds: ['pen-1', 'pen-2'] };

const allowed = (reason: string | undefined): boolean => reason === undefined;

describe('topic syntax', () => {
  it('refuses wildcards and empty topics in topic names', () => {
    expect(isValidTopicName('a/b')).toBe(true);
    expect(isValidTopicName('')).toBe(false);
    expect(isValidTopicName('a/+/b')).toBe(false);
    expect(isValidTopicName('a/#')).toBe(false);
    expect(isValidTopicName('a/b+c')).toBe(false);
  });

  it('accepts wildcards only as whole levels in filters, # only last', () => {
    for (const ok of ['#', '+', 'a/+/b', 'a/#', '+/+', 'a//b']) expect(isValidFilter(ok), ok).toBe(true);
    for (const bad of ['', 'a/#/b', 'a/b#', 'a/b+/c', '#/a']) expect(isValidFilter(bad), bad).toBe(false);
  });

  it('device ids must be a single plain level', () => {
    expect(isValidDeviceId('pen-1')).toBe(true);
    for (const bad of ['', 'a/b', '+', '#', 'x+']) expect(isValidDeviceId(bad), bad).toBe(false);
  });

  it('refuses a base topic with wildcards or a leading $', () => {
    expect(() => createAcl('classroom/+/x')).toThrow(/base topic/);
    expect(() => createAcl('$SYS/x')).toThrow(/base topic/);
  });
});

describe('publish', () => {
  it('local and admin publish anywhere except the gateway-only topics and $', () => {
    for (const p of [local, admin]) {
      expect(allowed(acl.publish(p, `${BASE}/request/scan`))).toBe(true);
      expect(allowed(acl.publish(p, `${BASE}/device/pen-9/command/x`))).toBe(true);
      expect(allowed(acl.publish(p, 'elsewhere/entirely'))).toBe(true);
      expect(acl.publish(p, `${BASE}/availability`)).toMatch(/gateway only/);
      expect(acl.publish(p, `${BASE}/health`)).toMatch(/gateway only/);
      expect(acl.publish(p, `${BASE}/health/detail`)).toMatch(/gateway only/);
      expect(acl.publish(p, `${BASE}/response`)).toMatch(/gateway only/);
      expect(acl.publish(p, `${BASE}/response/abc`)).toMatch(/gateway only/);
      expect(acl.publish(p, '$SYS/x')).toMatch(/\$/);
    }
  });

  it('reserves exactly those subtrees, not look-alike siblings', () => {
    expect(allowed(acl.publish(admin, `${BASE}/healthcheck`))).toBe(true);
    expect(allowed(acl.publish(admin, `${BASE}/responses`))).toBe(true);
  });

  it('viewers publish nothing', () => {
    expect(acl.publish(viewer, `${BASE}/request/scan`)).toMatch(/viewers/);
    expect(acl.publish(viewer, `${BASE}/device/pen-1/event`)).toMatch(/viewers/);
  });

  it('devices publish only under their own device subtrees', () => {
    expect(allowed(acl.publish(pen, `${BASE}/device/pen-1/event`))).toBe(true);
    expect(allowed(acl.publish(pen, `${BASE}/device/pen-2/status/battery`))).toBe(true);
    expect(allowed(acl.publish(pen, `${BASE}/device/pen-1`))).toBe(true);
    expect(acl.publish(pen, `${BASE}/device/pen-3/event`)).toMatch(/own device/);
    expect(acl.publish(pen, `${BASE}/device/pen-10/event`)).toMatch(/own device/);
    expect(acl.publish(pen, `${BASE}/device`)).toMatch(/own device/);
    expect(acl.publish(pen, `${BASE}/request/scan`)).toMatch(/own device/);
    expect(acl.publish(pen, `${BASE}/health`)).toMatch(/gateway only/);
    expect(acl.publish({ role: 'device', deviceIds: [] }, `${BASE}/device/pen-1/event`)).toMatch(/own device/);
  });

  it('refuses wildcard characters in a published topic', () => {
    expect(acl.publish(admin, `${BASE}/device/+/event`)).toMatch(/wildcards/);
    expect(acl.publish(pen, `${BASE}/device/pen-1/#`)).toMatch(/wildcards/);
  });
});

describe('subscribe', () => {
  it('local and admin subscribe to anything, including $SYS', () => {
    for (const p of [local, admin]) {
      for (const f of ['#', '$SYS/#', `${BASE}/+/x`, 'other/#']) expect(allowed(acl.subscribe(p, f)), f).toBe(true);
    }
  });

  it('viewers subscribe within the base topic only', () => {
    for (const f of [`${BASE}/#`, BASE, `${BASE}/device/+/event`, `${BASE}/health`]) {
      expect(allowed(acl.subscribe(viewer, f)), f).toBe(true);
    }
    for (const f of ['#', '+/#', '$SYS/#', 'classroom/demo-school/#', 'classroom/+/demo-classroom/gateway-1/#', 'other/x']) {
      expect(acl.subscribe(viewer, f), f).toMatch(/subtree/);
    }
  });

  it('devices subscribe within their own device subtrees only', () => {
    for (const f of [`${BASE}/device/pen-1/#`, `${BASE}/device/pen-2/command/+`, `${BASE}/device/pen-1`]) {
      expect(allowed(acl.subscribe(pen, f)), f).toBe(true);
    }
    for (const f of ['#', `${BASE}/#`, `${BASE}/+/pen-1/#`, `${BASE}/device/+/command`, `${BASE}/device/#`, `${BASE}/device/pen-3/#`]) {
      expect(acl.subscribe(pen, f), f).toMatch(/subtree/);
    }
  });

  it('refuses malformed filters for every role', () => {
    expect(acl.subscribe(admin, 'a/#/b')).toMatch(/malformed/);
  });
});

describe('delivery re-check', () => {
  it('matches the read rules per topic', () => {
    expect(acl.mayReceive(viewer, `${BASE}/health`)).toBe(true);
    expect(acl.mayReceive(viewer, 'other/topic')).toBe(false);
    expect(acl.mayReceive(pen, `${BASE}/device/pen-1/command/x`)).toBe(true);
    expect(acl.mayReceive(pen, `${BASE}/device/pen-3/command/x`)).toBe(false);
    expect(acl.mayReceive(admin, '$SYS/broker/x')).toBe(true);
  });
});

describe('the gateway role (its own uplink client in loopback mode)', () => {
  const gateway: Principal = { role: 'gateway', deviceIds: [] };
  it('may publish the gateway-only topics that admins may not', () => {
    for (const topic of [`${BASE}/health`, `${BASE}/availability`, `${BASE}/response/status`]) {
      expect(acl.publish(gateway, topic)).toBeUndefined();
      expect(acl.publish({ role: 'admin', deviceIds: [] }, topic)).toBeDefined();
    }
    expect(acl.publish(gateway, `${BASE}/health/+`)).toBeDefined();
  });
});
