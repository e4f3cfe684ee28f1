'use strict';
// `classroom to district`: msg.payload → flow-message/1 on flow/<name>, through the gateway's
// durable outbox (bridge.sendToDistrict). There is no other way out of the box for a flow.
const { ConfigError, FLOW_NAME, requireBridge, reportConfigError, status, errorText } = require('../lib/gateway');

function flowName(value) {
  const name = value === undefined || value === null ? '' : String(value);
  if (name === '') throw new ConfigError('give the messages a name (the "Message name" setting): it becomes the topic level flow/<name>', 'no message name');
  if (!FLOW_NAME.test(name)) {
    throw new ConfigError(`message name "${name}" is not allowed: use 1 to 64 letters, digits, _ or - (it becomes the topic level flow/<name>)`, 'invalid message name');
  }
  return name;
}

/** Under the node: what went wrong, in a few words (the debug sidebar has the whole message). */
function briefly(err) {
  const text = errorText(err);
  const size = /at most (\d+) KiB.*this one is (\d+) KiB/.exec(text);
  if (size) return `too big: ${size[2]} KiB (max ${size[1]})`;
  if (err && err.name === 'OutboxFullError') return 'outbox full: not sent';
  return `not sent: ${text}`;
}

module.exports = function (RED) {
  function ClassroomToDistrictNode(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    let bridge;
    let flow;
    try {
      bridge = requireBridge(RED);
      flow = flowName(config.flow);
    } catch (err) {
      reportConfigError(node, err);
      // Every message still reaches a Catch node, so a flow cannot lose it silently.
      node.on('input', (_msg, _send, done) => done(new Error(`${node.type}: not sent: ${errorText(err)}`)));
      return;
    }
    status.ok(node, `ready: flow/${flow}`);

    let queued = 0;
    let closed = false;
    node.on('input', async (msg, send, done) => {
      if (msg.payload === undefined) {
        if (!closed) status.error(node, 'nothing to send');
        done(new Error(`${node.type}: msg.payload is missing: nothing to send`));
        return;
      }
      let data;
      try {
        data = JSON.parse(JSON.stringify(msg.payload));
      } catch (err) {
        if (!closed) status.error(node, 'payload is not JSON');
        done(new Error(`${node.type}: msg.payload cannot be sent as JSON: ${errorText(err)}`));
        return;
      }
      try {
        const result = await bridge.sendToDistrict(flow, data);
        queued += 1;
        if (!closed) status.ok(node, `queued ${queued} · flow/${flow}`);
        msg.payload = { id: result.id, seq: result.seq, topic: result.topic };
        msg.topic = result.topic;
        send(msg);
        done();
      } catch (err) {
        if (!closed) status.error(node, briefly(err));
        done(err instanceof Error ? new Error(`${node.type}: ${err.message}`) : new Error(`${node.type}: ${errorText(err)}`));
      }
    });

    node.on('close', (_removed, done) => {
      closed = true;
      done();
    });
  }

  RED.nodes.registerType('classroom to district', ClassroomToDistrictNode);
};
