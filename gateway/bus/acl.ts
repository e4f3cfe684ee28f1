/**
 * Who may publish and subscribe where on the local bus. Pure functions over topic strings, so the
 * rules can be read and tested without a broker; local-bus.ts calls them from aedes's hooks.
 * The table IT reads is in README.md beside this file: keep the two in step.
 */

/**
 * What a credential (a configured user or a token) grants. `gateway` is the gateway's own uplink
 * client when no district is configured and the uplink delivers to this bus: it alone may
 * publish on the gateway-only topics from outside the process. Only a token grants it.
 */
export type Role = 'admin' | 'device' | 'viewer' | 'gateway';

/** `local` is an anonymous process on the box itself, allowed only on the loopback listener. */
export type SessionRole = Role | 'local';

export interface Principal {
  role: SessionRole;
  /** The devices a `device` principal speaks for; ignored for every other role. */
  deviceIds: readonly string[];
}

export interface Acl {
  /** Why `principal` may not publish on `topic`, or undefined when it may. */
  publish(principal: Principal, topic: string): string | undefined;
  /** Why `principal` may not subscribe to `filter`, or undefined when it may. */
  subscribe(principal: Principal, filter: string): string | undefined;
  /** Whether a message on `topic` may be delivered to `principal` (re-checked per message). */
  mayReceive(principal: Principal, topic: string): boolean;
}

/** Subtrees of the base topic that carry the gateway's own voice: only in-process code publishes there. */
const GATEWAY_ONLY = ['availability', 'health', 'response'] as const;

/** A topic name as a publisher may use it: non-empty, no wildcard characters. */
export function isValidTopicName(topic: string): boolean {
  return topic.length > 0 && !topic.includes('+') && !topic.includes('#');
}

/** A subscription filter: `+` only as a whole level, `#` only as the whole last level. */
export function isValidFilter(filter: string): boolean {
  if (filter.length === 0) return false;
  const levels = filter.split('/');
  return levels.every((level, i) => {
    if (level === '#') return i === levels.length - 1;
    return level === '+' || (!level.includes('+') && !level.includes('#'));
  });
}

/** A device id becomes one topic level, so it must be a plain, non-empty level. */
export function isValidDeviceId(id: string): boolean {
  return id.length > 0 && !/[/+#]/.test(id);
}

/**
 * Whether every topic `levels` (a topic or a filter, split on '/') can match lies in the subtree
 * `prefix/#`. Wildcards inside the prefix's levels never compare equal to a literal level, so a
 * filter such as `#` or `<base>/+/x` cannot widen itself out of the subtree.
 */
function within(levels: readonly string[], prefix: readonly string[]): boolean {
  return levels.length >= prefix.length && prefix.every((level, i) => levels[i] === level);
}

export function createAcl(baseTopic: string): Acl {
  if (!isValidTopicName(baseTopic) || baseTopic.startsWith('$')) {
    throw new Error(`bus: base topic ${JSON.stringify(baseTopic)} must be a plain topic (no wildcards, no leading $)`);
  }
  const base = baseTopic.split('/');
  const gatewayOnly = GATEWAY_ONLY.map((name) => [...base, name]);
  const deviceTree = (id: string): string[] => [...base, 'device', id];

  /** The read side is the same for filters and for delivered topics (a topic is a literal filter). */
  function mayRead(principal: Principal, levels: readonly string[]): boolean {
    switch (principal.role) {
      case 'gateway':
      case 'local':
      case 'admin':
        return true;
      case 'viewer':
        return within(levels, base);
      case 'device':
        return principal.deviceIds.some((id) => within(levels, deviceTree(id)));
    }
  }

  return {
    publish(principal, topic) {
      if (!isValidTopicName(topic)) return 'topic is empty or contains wildcards';
      if (topic.startsWith('$')) return 'topics starting with $ belong to the broker';
      const levels = topic.split('/');
      if (principal.role === 'gateway') return undefined;
      if (gatewayOnly.some((prefix) => within(levels, prefix))) return 'topic is published by the gateway only';
      switch (principal.role) {
        case 'local':
        case 'admin':
          return undefined;
        case 'viewer':
          return 'viewers may not publish';
        case 'device':
          return principal.deviceIds.some((id) => within(levels, deviceTree(id)))
            ? undefined
            : 'devices may publish only under their own device topics';
      }
    },

    subscribe(principal, filter) {
      if (!isValidFilter(filter)) return 'malformed topic filter';
      return mayRead(principal, filter.split('/')) ? undefined : `role ${principal.role} may not subscribe outside its subtree`;
    },

    mayReceive(principal, topic) {
      return mayRead(principal, topic.split('/'));
    },
  };
}
