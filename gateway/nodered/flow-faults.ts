import { types } from 'node:util';
import type { Logger } from '../log/logger.js';

/*
 * What Node-RED 4.1 does with errors in a function node (@node-red/nodes/core/function/10-function.js):
 * - a throw in the body, sync or awaited, is caught and reported as a node error (catch nodes see it);
 * - the sandbox's setTimeout/setInterval wrap the callback in try/catch and report node errors too;
 * - but a promise the body leaves unawaited and that rejects, or a callback the body hands to
 *   anything else (util.callbackify, a module from the node's "libs", an EventEmitter), escapes:
 *   embedded Node-RED installs no process handler (only its CLI red.js does, and exits), so Node's
 *   default would end the whole gateway.
 * This guard catches exactly those escapes. They are recognised by the vm script name Node-RED
 * gives function code ("Function node:<id>", "Function node setup:<id>", ...) in the stack, so
 * faults of the gateway itself still crash it (systemd restarts it) as before.
 */
const FUNCTION_NODE_FRAME = /^\s*at .*Function node(?: setup| cleanup)?:([^\s:\])]+)/m;

/**
 * The id of the function node whose code raised `reason`, or null if it did not come from one.
 * An error made in the sandbox belongs to another realm, so `instanceof Error` would miss it.
 */
export function flowFaultNodeId(reason: unknown): string | null {
  if (!types.isNativeError(reason) || typeof reason.stack !== 'string') return null;
  return FUNCTION_NODE_FRAME.exec(reason.stack)?.[1] ?? null;
}

/** For a process-wide crash handler installed elsewhere: leave these to the guard (it has logged and counted them). */
export function isFlowFault(reason: unknown): boolean {
  return flowFaultNodeId(reason) !== null;
}

/**
 * Installs process handlers that log and count function-node escapes instead of exiting.
 * Errors that are not flow faults keep Node's default (crash) when no other handler exists;
 * when another one does, that handler decides. Returns the uninstaller.
 */
export function installFlowFaultGuard(logger: Logger, onFault: (nodeId: string) => void): () => void {
  const handle = (event: 'uncaughtException' | 'unhandledRejection') => (reason: unknown) => {
    const nodeId = flowFaultNodeId(reason);
    if (nodeId !== null) {
      onFault(nodeId);
      logger.error({ err: reason, nodeId, event }, 'error escaped a function node; flows and gateway keep running');
      return;
    }
    // Rethrowing from the only listener is what Node does without one: print and exit.
    if (process.listenerCount(event) === 1) throw reason;
  };
  const onException = handle('uncaughtException');
  const onRejection = handle('unhandledRejection');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
