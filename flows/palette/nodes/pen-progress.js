'use strict';
const { registerContractIn } = require('../lib/contract-in');
const { oneOf } = require('../lib/gateway');

const NAMES = {
  live: ['penLive'],
  burden: ['homeworkBurden'],
  pages: ['penPage'],
  // "both" predates pages; flows deployed with it keep getting exactly what they got.
  both: ['penLive', 'homeworkBurden'],
  all: ['penLive', 'homeworkBurden', 'penPage'],
};

module.exports = function (RED) {
  registerContractIn(RED, 'classroom pen progress', (config) => ({ names: NAMES[oneOf(config.what, Object.keys(NAMES), 'output', 'all')] }));
};
