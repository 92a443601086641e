// A valid Config without an environment, for tests: the service's defaults, metrics on a free port.
import { type Config, parseConfig } from '../src/config';

/** Defaults (metrics on a free port) merged with overrides. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  const base = parseConfig(overrides.tableName === undefined ? {} : { DDB_TABLE: overrides.tableName });
  // A free metrics port, so servers started side by side in one test run never collide.
  return { ...base, metricsPort: 0, ...overrides };
}
