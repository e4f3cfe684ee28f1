import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * One structured logger for the whole process. JSON lines on stdout fit journald
 * (the unit sets SyslogIdentifier); level from LOG_LEVEL so tests can silence it.
 */
export function createLogger(name = 'gateway', level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name,
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}

/** A logger that writes nothing: for unit tests of components that require one. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
