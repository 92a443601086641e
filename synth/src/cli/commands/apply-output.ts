/** Prints the outcome of a command that changed files: one JSON document for CI, or lines for people. */
import type { ApplyResult } from '../../ops/changes/apply';
import type { Io } from '../command';

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
          removed: result.removed,
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
  io.out(`${command}: ${result.summary}`);
  if (result.status === 'already') return;
  const written = result.paths.filter((p) => !result.removed.includes(p));
  if (written.length > 0) io.out(`  wrote ${written.join(', ')}`);
  if (result.removed.length > 0) io.out(`  removed ${result.removed.join(', ')}`);
  if (result.commit) io.out(`  committed ${result.commit}${result.pushed ? ' and pushed' : ''}`);
  else io.out('  not committed (pass --commit to commit exactly these paths)');
}
