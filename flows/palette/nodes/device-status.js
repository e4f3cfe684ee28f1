'use strict';
const { registerContractIn } = require('../lib/contract-in');
const { knownDevice, optionalId, oneOf, serveDeviceList } = require('../lib/gateway');

const NAMES = { state: ['deviceState'], events: ['deviceEvent'], both: ['deviceState', 'deviceEvent'] };

module.exports = function (RED) {
  serveDeviceList(RED);
  registerContractIn(RED, 'classroom device status', (config, bridge) => {
    const names = NAMES[oneOf(config.what, Object.keys(NAMES), 'output', 'both')];
    const device = optionalId(config.device, 'device');
    if (device) knownDevice(bridge, device);
    return { names, accept: ({ params }) => !device || params.device === device };
  });
};
