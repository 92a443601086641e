import { type ParseArgsConfig, parseArgs } from 'node:util';
import { parseDuration } from '../domain/duration';

/** Bad command-line arguments of status / verify. Exit code 2. */
export class ClusterUsageError extends Error {
  override name = 'ClusterUsageError';
}

/** The options status and verify share. */
export const COMMON_OPTIONS = {
  context: { type: 'string' },
  kubeconfig: { type: 'string' },
  environments: { type: 'string' },
  dist: { type: 'string' },
  'request-timeout': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses strictly; unknown options and missing values become one-line usage errors naming the option. */
export function parseCommandArgs<T extends Options>(options: T, args: readonly string[]) {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
  } catch (error) {
    const message = (error as Error).message.split('\n')[0] ?? '';
    const known = Object.keys(options).map((o) => `--${o}`);
    const unknown = /Unknown option '([^']+)'/.exec(message)?.[1];
    const text = unknown ? `unknown option ${unknown}` : message.replace(/\.$/, '');
    throw new ClusterUsageError(`${text} (options: ${known.join(', ')})`);
  }
}

/** A duration flag such as `--timeout 10m`; a usage error naming the flag, value and rule otherwise. */
export function durationFlag(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0) {
    throw new ClusterUsageError(`--${flag} "${value}" must be a positive duration such as 90s, 10m or 1h30m`);
  }
  return ms;
}
