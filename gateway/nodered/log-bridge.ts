import { inspect, types } from 'node:util';
import type { Logger } from '../log/logger.js';

/** What Node-RED hands a custom log handler (@node-red/util/lib/log.js). */
export interface NodeRedLogMessage {
  level: number;
  msg: unknown;
  /** Set when a node logged: its type, id, name and the id of its flow tab. */
  type?: string;
  id?: string;
  name?: string;
  z?: string;
}

// Node-RED's numeric levels; 98 (audit) and 99 (metric) are switched off in the settings.
const FATAL = 10;
const ERROR = 20;
const WARN = 30;
const INFO = 40;
const DEBUG = 50;

/**
 * A Node-RED log handler writing into our pino logger, so flows' errors land in the same
 * journal as the gateway's, and counting error/fatal lines for telemetry.
 */
export function nodeRedLogHandler(logger: Logger, onError: () => void): (m: NodeRedLogMessage) => void {
  return (m) => {
    if (m.level <= ERROR) onError();
    const fields: Record<string, unknown> = {};
    if (m.type !== undefined) fields.node = { type: m.type, id: m.id, name: m.name, flow: m.z };
    let text: string;
    if (types.isNativeError(m.msg)) {
      fields.err = m.msg;
      text = m.msg.message;
    } else {
      text = typeof m.msg === 'string' ? m.msg : inspect(m.msg, { depth: 2, breakLength: Infinity });
    }
    if (m.level <= FATAL) logger.fatal(fields, text);
    else if (m.level <= ERROR) logger.error(fields, text);
    else if (m.level <= WARN) logger.warn(fields, text);
    else if (m.level <= INFO) logger.info(fields, text);
    else if (m.level <= DEBUG) logger.debug(fields, text);
    else logger.trace(fields, text);
  };
}
