/**
 * The repository around the working directory, as the commands that edit it see it: its git client and its
 * workspace (environment files, the renderer with every gate, dist/), opened once on first use.
 */
import { Git } from '../../domain/git';
import { repoWorkspace } from '../../ops/changes/repo-workspace';
import type { Workspace } from '../../ops/changes/workspace';

/** Lazily opened: `git()` refuses outside a git working tree, only when a command needs it. */
export interface Repository {
  workspace(): Workspace;
  git(): Git;
  /** The repository root (absolute). */
  root(): string;
}

export function openRepository(cwd: string): Repository {
  let root: string | undefined;
  const repoRoot = () => {
    root ??= Git.open(cwd).root;
    return root;
  };
  return {
    workspace: () => repoWorkspace(repoRoot()),
    git: () => Git.open(repoRoot()),
    root: repoRoot,
  };
}
