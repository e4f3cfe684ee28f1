'use strict';
const { registerContractIn } = require('../lib/contract-in');
const { optionalId, oneOf } = require('../lib/gateway');

module.exports = function (RED) {
  registerContractIn(RED, 'classroom scanned page', (config) => {
    // The setting was called `status` before it clashed with the editor's node.status; flows saved then still say so.
    const setting = config.pages !== undefined ? config.pages : typeof config.status === 'string' ? config.status : undefined;
    const wanted = oneOf(setting, ['any', 'graded', 'unrecognised', 'blank', 'rejected'], 'pages', 'any');
    const assignment = optionalId(config.assignment, 'assignment');
    return {
      names: ['scanPage'],
      accept: ({ payload }) => (wanted === 'any' || payload.status === wanted) && (!assignment || payload.assignmentId === assignment),
    };
  });
};
