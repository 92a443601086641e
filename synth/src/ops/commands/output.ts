import type { ApplyResult } from '../apply';
import type { Io } from './args';

/** Prints the outcome of a command that changes files: JSON for CI, or lines for people. */
export function printApply(
  io: Io,
  json: boolean,
  command: string,
  result: ApplyResult,
  extra: Record<string, unknown> = {},
): void {
  if (json) {
    io.out(
      JSON.stringify(
        {
          command,
          status: result.status,
          summary: result.summary,
          ...extra,
          paths: result.paths,
          ...(result.commit ? { commit: result.commit } : {}),
          pushed: result.pushed,
          attempts: result.attempts,
        },
        null,
        2,
      ),
    );
    return;
  }
  if (result.status === 'already') {
    io.out(`${command}: ${result.summary}`);
    return;
  }
  io.out(`${command}: ${result.summary}`);
  io.out(`  wrote ${result.paths.join(', ')}`);
  if (result.commit) io.out(`  committed ${result.commit}${result.pushed ? ' and pushed' : ''}`);
  else io.out('  not committed (pass --commit to commit exactly these paths)');
}
