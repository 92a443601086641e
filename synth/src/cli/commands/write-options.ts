/**
 * The options every command that changes files shares (`--commit`, `--push`, `--retries`, `--json`), their
 * checks, and the other small argument checks those commands share (`--reason`, an environment name).
 */
import { usageError } from '../../errors';
import { checkEnvName } from '../../ops/changes/env-name';
import { checkReason } from '../../ops/git/trailers';
import { HELP_OPTION, type OptionSpec } from '../command';

/** `--commit`, `--push`, `--retries`, `--json` and `--help`, in the order help and messages list them. */
export const WRITE_OPTIONS = {
  commit: {
    type: 'boolean',
    help: 'commit exactly the changed files (refused if they have uncommitted edits)',
  },
  push: {
    type: 'boolean',
    help: 'push the commit; a non-fast-forward re-applies the change on the new head',
  },
  retries: { type: 'string', value: '<N>', help: 'push attempts after a rejection (default 3, at most 20)' },
  json: { type: 'boolean', help: 'print the result (or the refusal) as one JSON document on stdout' },
  help: HELP_OPTION,
} as const satisfies Record<string, OptionSpec>;

/** `--reason`, for the commands that record one in the trailers. */
export const REASON_OPTION = {
  type: 'string',
  value: '"<text>"',
  help: 'why; one line, recorded in the commit trailers',
} as const satisfies OptionSpec;

/** The values of the write options. */
interface WriteValues {
  readonly commit?: boolean;
  readonly push?: boolean;
  readonly retries?: string;
  readonly json?: boolean;
}

/** `--commit`, `--push`, `--retries` checked together. */
export function writeFlags(values: WriteValues) {
  const commit = values.commit === true;
  const push = values.push === true;
  if (push && !commit) throw usageError('--push: needs --commit (only a commit can be pushed)');
  let retries = 3;
  if (values.retries !== undefined) {
    if (!push) throw usageError('--retries: only applies with --push');
    const text = values.retries;
    if (!/^[0-9]+$/.test(text) || Number(text) > 20) {
      throw usageError(`--retries ${JSON.stringify(text)}: must be a whole number from 0 to 20`);
    }
    retries = Number(text);
  }
  return { commit, push, retries, json: values.json === true };
}

/** A `--reason`, checked; required when `needed` names the flag that needs it. */
export function reasonFlag(reason: string | undefined, needed?: string): string | undefined {
  if (reason === undefined) {
    if (needed) throw usageError(`${needed}: needs --reason "<why>" (recorded in the commit trailers)`);
    return undefined;
  }
  return checkReason(reason);
}

/** An environment name argument, checked before it reaches any path. */
export function envArg(name: string | undefined, what = 'environment'): string {
  return checkEnvName(name ?? '', what);
}
