'use strict';
const { registerContractIn } = require('../lib/contract-in');
const { oneOf } = require('../lib/gateway');

const NAMES = { health: ['health'], alarms: ['alarm'], both: ['health', 'alarm'] };

module.exports = function (RED) {
  registerContractIn(RED, 'classroom health', (config) => ({ names: NAMES[oneOf(config.what, Object.keys(NAMES), 'output', 'both')] }));
};
