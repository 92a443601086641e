import { refused } from './errors';
import type { Git } from './git';

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
 * Commits exactly `paths` (files or folders, relative to the root; new, changed or deleted) with `message`,
 * leaving whatever else is staged or modified in the tree as it was. Returns the new commit id.
 */
export function commitPaths(git: Git, paths: readonly string[], message: string): string {
  git.run(['add', '--all', '--', ...paths]);
  const result = git.tryRun(
    ['commit', '--quiet', '--cleanup=whitespace', '--file=-', '--only', '--', ...paths],
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
  return git.run(['rev-parse', 'HEAD']).trim();
}
