'use strict';
const { registerContractIn } = require('../lib/contract-in');
const { optionalId, oneOf } = require('../lib/gateway');

const NAMES = { checkins: ['mirrorCheckin'], reps: ['mirrorRep'], sessions: ['mirrorSession'], all: ['mirrorCheckin', 'mirrorRep', 'mirrorSession'] };

module.exports = function (RED) {
  registerContractIn(RED, 'classroom mirror', (config) => {
    const names = NAMES[oneOf(config.what, Object.keys(NAMES), 'output', 'all')];
    const station = optionalId(config.station, 'station');
    return { names, accept: ({ params }) => !station || params.station === station };
  });
};
