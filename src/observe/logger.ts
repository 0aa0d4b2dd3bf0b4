/**
 * Where decision events go. The interface is pino's (and bunyan's, and most structured
 * loggers'): `logger.warn(object, message)`, so a pino instance plugs in as is. The default
 * writes one JSON line per event through `console`, which every runtime has (workerd and
 * Vercel collect console output as logs).
 */
export interface DecisionLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

function line(level: string, obj: object, msg: string | undefined): string {
  return JSON.stringify({ level, ...(msg !== undefined ? { msg } : {}), ...obj });
}

/** One JSON line per call on console.log / console.warn / console.error. */
export const consoleLogger: DecisionLogger = {
  info: (obj, msg) => console.log(line("info", obj, msg)),
  warn: (obj, msg) => console.warn(line("warn", obj, msg)),
  error: (obj, msg) => console.error(line("error", obj, msg)),
};

/** Discards everything (tests, or when only counters and the hook are wanted). */
export const silentLogger: DecisionLogger = { info() {}, warn() {}, error() {} };
