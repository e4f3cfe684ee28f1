'use strict';
// One "in" node for any set of contract messages: subscribes through the bridge, keeps the
// messages its filter accepts and sends { topic, payload, schema, params, envelope? }.
const { requireBridge, reportConfigError, status, errorText } = require('./gateway');

/** Status updates go to every open editor: at most one a second, however fast pens write. */
const STATUS_EVERY_MS = 1000;

/**
 * Registers node type `type`. `setup(config, bridge)` checks the node's settings (throwing a
 * ConfigError for a bad one) and returns `{ names, accept?, label? }`: the contract message names
 * (gateway/contract/topics.ts) to listen to, which of them to pass on, and the status text.
 */
function registerContractIn(RED, type, setup) {
  function ContractInNode(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    let plan;
    let bridge;
    try {
      bridge = requireBridge(RED);
      plan = setup(config, bridge);
    } catch (err) {
      reportConfigError(node, err);
      return;
    }
    const accept = plan.accept || (() => true);
    const label = plan.label || 'listening';
    let received = 0;
    let timer = null;
    const showCount = () => {
      timer = null;
      status.ok(node, `${label} · ${received} received`);
    };

    const unsubscribe = bridge.subscribe(plan.names, (message) => {
      try {
        if (!accept(message)) return;
        const msg = {
          topic: `${bridge.baseTopic}/${message.topic}`,
          payload: message.payload,
          schema: message.schema,
          params: message.params,
        };
        if (message.envelope) msg.envelope = message.envelope;
        received += 1;
        node.send(msg);
        if (!timer) timer = setTimeout(showCount, STATUS_EVERY_MS);
      } catch (err) {
        // A filter tripping over an odd message stays in this node.
        node.error(`${type}: ${errorText(err)}`);
      }
    });
    status.ok(node, label);

    node.on('close', (_removed, done) => {
      unsubscribe();
      if (timer) clearTimeout(timer);
      timer = null;
      done();
    });
  }
  RED.nodes.registerType(type, ContractInNode);
}

module.exports = { registerContractIn };
