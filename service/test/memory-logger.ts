// A logger that keeps its parsed lines in memory, for tests that read what the service logged.
import { createLogger, type Logger } from '../src/observability/logger';

/** A logger at `debug` whose lines are kept, parsed, in `lines`. */
export function createMemoryLogger(): Logger & { readonly lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => lines.push(JSON.parse(line)) });
  return { ...logger, lines };
}
