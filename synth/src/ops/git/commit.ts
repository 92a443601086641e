// Commits exactly the files an ops command changed, refusing when someone else's edit of them would be swept
// in.
import type { Git } from '../../domain/git';
import { refused } from '../errors';

/**
 * Refuses when any of `paths` has uncommitted changes: `--commit` commits whole files, so it would sweep
 * someone's unrelated edit of the same file into an ops commit. Changes elsewhere in the tree are fine.
 */
export function assertCommittable(git: Git, paths: readonly string[]): void {
  const dirty = git.dirtyPaths(paths);
  if (dirty.length > 0) {
    const shown =
      dirty.length > 3 ? `${dirty.slice(0, 3).join(', ')} and ${dirty.length - 3} more` : dirty.join(', ');
    throw refused(
      `--commit: ${shown} ha${dirty.length === 1 ? 's' : 've'} uncommitted changes; commit or discard them first (the ops commit would include them)`,
    );
  }
}

/**
 * Commits exactly `paths` (files or folders, relative to the root; changed or deleted, plus the new files
 * listed in `added`) with `message`, leaving whatever else is staged or modified in the tree as it was.
 * Returns the new commit id. At most two git processes: `add` (only when there are new files) and `commit`.
 */
export function commitPaths(
  git: Git,
  paths: readonly string[],
  message: string,
  added: readonly string[] = paths,
): string {
  if (added.length > 0) git.run(['add', '--all', '--', ...added]);
  // With core.abbrev=40 the summary line carries the whole commit id: "[main <40 hex>] subject".
  const result = git.tryRun(
    ['-c', 'core.abbrev=40', 'commit', '--cleanup=whitespace', '--file=-', '--only', '--', ...paths],
    message,
  );
  if (result.status !== 0) {
    // Put the index back for these paths, so a failed commit leaves nothing staged.
    git.tryRun(['reset', '--quiet', '--', ...paths]);
    const line =
      `${result.stderr}\n${result.stdout}`.split('\n').find((l) => l.trim() !== '') ??
      `exit ${result.status}`;
    throw refused(`git commit failed: ${line.trim()}`);
  }
  const id = /^\[[^\]]* ([0-9a-f]{40})\]/m.exec(result.stdout)?.[1];
  return id ?? git.run(['rev-parse', 'HEAD']).trim();
}
