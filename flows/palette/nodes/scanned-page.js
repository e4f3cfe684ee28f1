'use strict';
const { registerContractIn } = require('../lib/contract-in');
const { optionalId, oneOf } = require('../lib/gateway');

module.exports = function (RED) {
  registerContractIn(RED, 'classroom scanned page', (config) => {
    const wanted = oneOf(config.status, ['any', 'graded', 'unrecognised', 'blank', 'rejected'], 'status', 'any');
    const assignment = optionalId(config.assignment, 'assignment');
    return {
      names: ['scanPage'],
      accept: ({ payload }) => (wanted === 'any' || payload.status === wanted) && (!assignment || payload.assignmentId === assignment),
    };
  });
};
