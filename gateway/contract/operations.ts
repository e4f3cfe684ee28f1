/**
 * Operations the district (or a local client) can ask for on `request/<op>`. Handlers live in
 * gateway/requests/; this table is the contract and feeds the district's documentation.
 */
export const operations = {
  status: {
    summary: 'A snapshot of the gateway: ids, version, uplink, outbox, devices, alarms.',
    args: 'none',
  },
  'get-settings': {
    summary: 'The current settings, with passwords and keys masked.',
    args: 'none',
  },
  'set-settings': {
    summary:
      'A JSON merge patch to the settings. Validated, then saved atomically; the response lists `applied` keys and `restartRequired` keys. An invalid patch changes nothing and answers `invalid` naming each bad key.',
    args: '`{ "patch": { … } }`',
  },
  restart: {
    summary: 'Answers, then stops cleanly (outbox flushed, `offline` published) and starts again.',
    args: 'none',
  },
  device: {
    summary: "Runs a device action, e.g. the scanner's `scan`; `data` is the action's result.",
    args: '`{ "device": "scanner-1", "action": "scan", "args": { … } }`',
  },
} as const;

export type OperationName = keyof typeof operations;
