'use strict';
const { registerContractIn } = require('../lib/contract-in');
const { optionalId, oneOf } = require('../lib/gateway');

const NAMES = { strokes: ['penStroke'], events: ['deviceEvent'], both: ['penStroke', 'deviceEvent'] };

module.exports = function (RED) {
  registerContractIn(RED, 'classroom pen strokes', (config, bridge) => {
    const names = NAMES[oneOf(config.what, Object.keys(NAMES), 'output', 'strokes')];
    const student = optionalId(config.student, 'student');
    // Pen events are the device events of this box's pen hubs. Looked up per event (they are
    // few): a hub added to the settings counts without redeploying. They name a pen, not a
    // student, so the student filter is for strokes only.
    const fromPenHub = (device) => bridge.devices().some((d) => d.id === device && d.kind === 'pen-hub');
    return {
      names,
      accept: ({ name, payload, params }) => (name === 'deviceEvent' ? fromPenHub(params.device) : !student || payload.studentId === student),
    };
  });
};
