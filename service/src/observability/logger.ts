// The service's structured logger: JSON lines on pino, never personal data.
import { pino } from 'pino';
import type { LogLevel } from '../config';

/** Structured fields of a log line; callers must never pass personal data (names, phone, email, bodies). */
export type LogFields = Record<string, string | number | boolean | undefined>;

/** Structured logger; one JSON object per line. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** @default 'info' */
  readonly level?: LogLevel;
  /** Receives each line without the newline. @default writes to stdout */
  readonly write?: (line: string) => void;
  /** Clock, for tests. @default () => new Date() */
  readonly now?: () => Date;
}

/**
 * A JSON-lines logger on pino: one object per line, `{"level":"info","time":"<ISO 8601>",...fields,"msg":"..."}`,
 * written synchronously to stdout (a pod's log lines are read from there), no pid or hostname (Kubernetes adds
 * the pod's name).
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const now = options.now ?? (() => new Date());
  const write = options.write;
  const destination =
    write === undefined
      ? pino.destination({ dest: 1, sync: true })
      : { write: (line: string) => write(line.endsWith('\n') ? line.slice(0, -1) : line) };
  const log = pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      timestamp: () => `,"time":"${now().toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  return {
    debug: (msg, fields) => log.debug(fields ?? {}, msg),
    info: (msg, fields) => log.info(fields ?? {}, msg),
    warn: (msg, fields) => log.warn(fields ?? {}, msg),
    error: (msg, fields) => log.error(fields ?? {}, msg),
  };
}
