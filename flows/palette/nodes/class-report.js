'use strict';
const { registerContractIn } = require('../lib/contract-in');
const { optionalId } = require('../lib/gateway');

module.exports = function (RED) {
  registerContractIn(RED, 'classroom class report', (config) => {
    const assignment = optionalId(config.assignment, 'assignment');
    return { names: ['classReport'], accept: ({ params }) => !assignment || params.assignment === assignment };
  });
};
