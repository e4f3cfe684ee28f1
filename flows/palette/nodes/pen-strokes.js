'use strict';
const { registerContractIn } = require('../lib/contract-in');
const { optionalId } = require('../lib/gateway');

module.exports = function (RED) {
  registerContractIn(RED, 'classroom pen strokes', (config) => {
    const student = optionalId(config.student, 'student');
    return { names: ['penStroke'], accept: ({ payload }) => !student || payload.studentId === student };
  });
};
