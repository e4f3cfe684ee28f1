'use strict';
// `classroom scan`: every input message scans one stack on a scanner of this box, through the
// gateway's `device` request (the same one the web page's scan button uses).
const { ConfigError, requireBridge, knownDevice, optionalId, reportConfigError, serveDeviceList, status, errorText } = require('../lib/gateway');

/** Outcomes after which the pages scanned are all there is: passed on, not errors. */
const FINE = new Set(['completed', 'feeder-empty', 'cancelled']);

const pages = (n) => `${n} page${n === 1 ? '' : 's'}`;

/**
 * The scan action's arguments from the node's settings or from msg (`from` names the source in
 * errors). Empty means "the scanner's default"; anything else is checked like the gateway does.
 */
function scanArgs(source, from) {
  const args = {};
  const { duplex, resolution, maxPages, mode } = source;
  if (duplex !== undefined && duplex !== '' && duplex !== null) {
    if (duplex === true || duplex === 'true') args.duplex = true;
    else if (duplex === false || duplex === 'false') args.duplex = false;
    else throw new ConfigError(`${from}duplex must be true or false; found ${JSON.stringify(duplex)}`, 'bad duplex');
  }
  const whole = (value, min, max, what) => {
    if (value === undefined || value === null || value === '') return undefined;
    const n = typeof value === 'string' ? Number(value.trim()) : value;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${from}${what} must be a whole number from ${min} to ${max}; found ${JSON.stringify(value)}`, `bad ${what}`);
    return n;
  };
  const dpi = whole(resolution, 50, 1200, 'resolution');
  if (dpi !== undefined) args.resolution = dpi;
  const max = whole(maxPages, 1, 10000, 'maxPages');
  if (max !== undefined) args.maxPages = max;
  if (mode !== undefined && mode !== null && mode !== '') {
    if (mode !== 'gray' && mode !== 'color') throw new ConfigError(`${from}mode must be "gray" or "color"; found ${JSON.stringify(mode)}`, 'bad mode');
    args.mode = mode;
  }
  return args;
}

module.exports = function (RED) {
  serveDeviceList(RED);

  function ClassroomScanNode(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    let bridge;
    let setup;
    try {
      bridge = requireBridge(RED);
      const device = optionalId(config.device, 'device');
      if (!device) throw new ConfigError('choose the scanner in the node\'s settings (the "Scanner" list)', 'no scanner chosen');
      knownDevice(bridge, device, 'scanner');
      setup = { device, args: scanArgs(config, '') };
    } catch (err) {
      reportConfigError(node, err);
      node.on('input', (_msg, _send, done) => done(new Error(`${node.type}: not set up: ${errorText(err)}`)));
      return;
    }
    status.ok(node, `ready: ${setup.device}`);

    let running = 0;
    let closed = false;
    node.on('input', async (msg, send, done) => {
      let device;
      let args;
      try {
        device = msg.device === undefined || msg.device === '' ? setup.device : optionalId(msg.device, 'msg.device');
        if (device !== setup.device) knownDevice(bridge, device, 'scanner');
        args = { ...setup.args, ...scanArgs(msg, 'msg.') };
      } catch (err) {
        status.error(node, err instanceof ConfigError ? err.short : errorText(err));
        done(new Error(`${node.type}: ${errorText(err)}`));
        return;
      }
      running += 1;
      status.busy(node, `scanning… (${device})`);
      let response;
      try {
        response = await bridge.request('device', { device, action: 'scan', args });
      } catch (err) {
        response = { status: 'error', error: { code: 'failed', message: errorText(err) } };
      }
      running -= 1;
      const show = (fn, text) => {
        if (!closed) fn(node, running > 0 ? 'scanning…' : text);
      };
      if (response.status !== 'ok') {
        const error = response.error || { code: 'failed', message: 'no answer' };
        show(status.error, `${error.code}: ${error.message}`);
        done(new Error(`${node.type}: ${device} did not scan (${error.code}): ${error.message}`));
        return;
      }
      const summary = response.data;
      msg.payload = summary;
      msg.device = device;
      if (!summary || !FINE.has(summary.outcome)) {
        const outcome = summary ? summary.outcome : 'failed';
        const count = summary ? summary.pages : 0;
        show(status.error, `${outcome} · ${pages(count)}`);
        done(new Error(`${node.type}: ${device}: ${summary ? summary.message : 'no summary'} (${pages(count)} delivered)`));
        return;
      }
      if (summary.outcome === 'cancelled') show(status.busy, `cancelled · ${pages(summary.pages)}`);
      else if (summary.pages === 0) show(status.busy, 'no paper in the feeder');
      else show(status.ok, pages(summary.pages));
      send(msg);
      done();
    });

    node.on('close', (_removed, done) => {
      // A scan already started runs to its end on the scanner; this node just stops reporting.
      closed = true;
      done();
    });
  }

  RED.nodes.registerType('classroom scan', ClassroomScanNode);
};
