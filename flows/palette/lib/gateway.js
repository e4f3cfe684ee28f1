'use strict';
// What every classroom node shares: finding the gateway's bridge, reporting a bad configuration
// without throwing, and the admin endpoint the editor's device dropdowns read.

/** The only way into the gateway: gateway/nodered/classroom-bridge.ts, handed over as a setting. */
const NOT_IN_GATEWAY = 'this palette runs only inside the classroom gateway (RED.settings.classroomGateway is missing)';

/** Ids as the gateway's settings and assignments spell them: one topic level, no wildcards. */
const ID = /^[A-Za-z0-9_.:-]{1,64}$/;
/** The `flow` topic level of flow-message/1 (its JSON Schema has the same pattern). */
const FLOW_NAME = /^[A-Za-z0-9_-]{1,64}$/;

const STATUS_TEXT_MAX = 48;

/** A configuration the node cannot run with; `short` goes under the node in the editor. */
class ConfigError extends Error {
  constructor(message, short) {
    super(message);
    this.name = 'ConfigError';
    this.short = short || message;
  }
}

function bridgeOf(RED) {
  let bridge;
  try {
    bridge = RED.settings && RED.settings.classroomGateway;
  } catch {
    bridge = undefined;
  }
  const complete = bridge && ['subscribe', 'request', 'sendToDistrict', 'devices'].every((fn) => typeof bridge[fn] === 'function');
  return complete ? bridge : null;
}

/** The bridge, or a ConfigError a node reports instead of starting. */
function requireBridge(RED) {
  const bridge = bridgeOf(RED);
  if (!bridge) throw new ConfigError(NOT_IN_GATEWAY, 'not inside the classroom gateway');
  return bridge;
}

function shortText(text) {
  const s = String(text);
  return s.length <= STATUS_TEXT_MAX ? s : s.slice(0, STATUS_TEXT_MAX - 1) + '…';
}

const status = {
  ok: (node, text) => node.status({ fill: 'green', shape: 'dot', text: shortText(text) }),
  busy: (node, text) => node.status({ fill: 'yellow', shape: 'ring', text: shortText(text) }),
  error: (node, text) => node.status({ fill: 'red', shape: 'ring', text: shortText(text) }),
};

/**
 * Reports why a node cannot run, in the debug sidebar (node.error) and under the node (red
 * ring). Never throws: a bad node must not stop the other flows from deploying.
 */
function reportConfigError(node, err) {
  const message = err instanceof Error ? err.message : String(err);
  node.error(`${node.type}: ${message}`);
  status.error(node, err instanceof ConfigError ? err.short : message);
}

function errorText(err) {
  if (err instanceof Error) return err.message;
  if (err && typeof err === 'object' && typeof err.message === 'string') return err.message;
  return String(err);
}

/** An optional filter setting: '' means any, otherwise one id. */
function optionalId(value, what) {
  const v = value === undefined || value === null ? '' : String(value).trim();
  if (v === '') return '';
  if (!ID.test(v)) throw new ConfigError(`${what} "${v}" is not a valid id (letters, digits, _ . : - ; at most 64)`, `bad ${what}`);
  return v;
}

function oneOf(value, allowed, what, fallback) {
  const v = value === undefined || value === null || value === '' ? fallback : value;
  if (!allowed.includes(v)) throw new ConfigError(`${what} must be one of ${allowed.join(', ')}; found ${JSON.stringify(value)}`, `bad ${what}`);
  return v;
}

/** A device the box has; `kind` narrows it (the scan node wants a scanner). */
function knownDevice(bridge, id, kind) {
  const devices = bridge.devices();
  const found = devices.find((d) => d.id === id);
  if (!found) {
    const names = devices.filter((d) => !kind || d.kind === kind).map((d) => d.id);
    throw new ConfigError(`unknown device "${id}": this box has ${names.length ? names.join(', ') : `no ${kind || 'device'}`}`, `unknown device ${id}`);
  }
  if (kind && found.kind !== kind) throw new ConfigError(`device "${id}" is a ${found.kind}, not a ${kind}`, `${id} is not a ${kind}`);
  return found;
}

const endpointsFor = new WeakSet();

/**
 * GET <admin>/classroom/devices[?kind=scanner]: the box's devices for the editor's dropdowns,
 * behind the editor's login. Registered once per admin app, whichever node file loads first.
 */
function serveDeviceList(RED) {
  const app = RED.httpAdmin;
  if (!app || endpointsFor.has(app)) return;
  endpointsFor.add(app);
  const guard = RED.auth && typeof RED.auth.needsPermission === 'function' ? RED.auth.needsPermission('classroom.read') : (_req, _res, next) => next();
  app.get('/classroom/devices', guard, (req, res) => {
    const bridge = bridgeOf(RED);
    if (!bridge) {
      res.status(503).json({ error: NOT_IN_GATEWAY });
      return;
    }
    const kind = typeof req.query.kind === 'string' && req.query.kind !== '' ? req.query.kind : null;
    try {
      res.json(bridge.devices().filter((d) => !kind || d.kind === kind).map(({ id, kind, transport, state }) => ({ id, kind, transport, state })));
    } catch (err) {
      res.status(500).json({ error: errorText(err) });
    }
  });
}

module.exports = {
  NOT_IN_GATEWAY,
  ID,
  FLOW_NAME,
  ConfigError,
  bridgeOf,
  requireBridge,
  status,
  reportConfigError,
  errorText,
  optionalId,
  oneOf,
  knownDevice,
  serveDeviceList,
};
