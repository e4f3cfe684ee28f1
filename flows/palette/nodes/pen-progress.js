'use strict';
const { registerContractIn } = require('../lib/contract-in');
const { oneOf } = require('../lib/gateway');

const NAMES = { live: ['penLive'], burden: ['homeworkBurden'], both: ['penLive', 'homeworkBurden'] };

module.exports = function (RED) {
  registerContractIn(RED, 'classroom pen progress', (config) => ({ names: NAMES[oneOf(config.what, Object.keys(NAMES), 'output', 'both')] }));
};
