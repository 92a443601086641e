// `--push`: pushes an ops commit to the branch's upstream, and on rejection moves onto the remote head so the
// change can be made again.
import type { Git } from '../../domain/git';
import { refused } from '../errors';

/** Where `--push` sends the current branch. */
export interface PushTarget {
  readonly remote: string;
  /** Branch name on the remote. */
  readonly branch: string;
}

/** The current branch's upstream (`branch.<name>.remote` / `.merge`), else `origin` and the same name. */
export function pushTarget(git: Git): PushTarget {
  const current = git.tryRun(['symbolic-ref', '--quiet', '--short', 'HEAD']);
  if (current.status !== 0) {
    throw refused('--push: HEAD is detached; check out the branch to push (e.g. git switch main)');
  }
  const branch = current.stdout.trim();
  const remote = git.tryRun(['config', '--get', `branch.${branch}.remote`]).stdout.trim() || 'origin';
  const merge = git.tryRun(['config', '--get', `branch.${branch}.merge`]).stdout.trim();
  return { remote, branch: merge.replace(/^refs\/heads\//, '') || branch };
}

/** Pushes HEAD to the target. `rejected` on a non-fast-forward; any other failure is a refusal. */
export function pushHead(git: Git, target: PushTarget): 'pushed' | 'rejected' {
  const result = git.tryRun(['push', '--porcelain', target.remote, `HEAD:refs/heads/${target.branch}`]);
  if (result.status === 0) return 'pushed';
  const text = `${result.stdout}\n${result.stderr}`;
  if (
    /\[rejected\]|non-fast-forward|fetch first|\[remote rejected\].*(cannot lock ref|failed to update ref)/.test(
      text,
    )
  ) {
    return 'rejected';
  }
  const line =
    result.stderr.split('\n').find((l) => l.trim() !== '' && !l.startsWith('To ')) ?? `exit ${result.status}`;
  throw refused(`git push to ${target.remote} ${target.branch} failed: ${line.trim()}`);
}

/**
 * Fetches the target branch and moves the current branch onto it, dropping the command's own commit (made on
 * `base`), so the change can be applied again on the new head (not a textual rebase of a stale file). Refuses
 * when that would also drop other local commits that the remote does not have. `reset --keep` keeps unrelated
 * local edits and refuses rather than overwrite one.
 */
export function moveToRemoteHead(git: Git, target: PushTarget, base: string): string {
  git.run(['fetch', '--quiet', target.remote, `refs/heads/${target.branch}`]);
  const head = git.run(['rev-parse', 'FETCH_HEAD']).trim();
  if (git.tryRun(['merge-base', '--is-ancestor', base, head]).status !== 0) {
    throw refused(
      `--push: the branch has local commits that ${target.remote}/${target.branch} does not have; push or drop them first, then run the command again`,
    );
  }
  const reset = git.tryRun(['reset', '--quiet', '--keep', head]);
  if (reset.status !== 0) {
    const line = reset.stderr.split('\n').find((l) => l.trim() !== '') ?? `exit ${reset.status}`;
    throw refused(
      `--push: cannot move onto ${target.remote}/${target.branch} to re-apply the change: ${line.trim()}`,
    );
  }
  return head;
}
