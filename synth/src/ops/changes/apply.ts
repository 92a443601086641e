// Makes a command's change all or nothing: plan on one read, render through every gate, write and commit under a lock.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Git } from '../../domain/git';
import type { FolderFiles } from '../../domain/rendered-tree';
import { refused, UserError } from '../errors';
import { assertCommittable, commitPaths } from '../git/commit';
import { moveToRemoteHead, type PushTarget, pushHead, pushTarget } from '../git/push';
import { withLock } from './file-lock';
import { pendingChange } from './pending-change';
import type { ChangePlan, Plan, Snapshot } from './plan';
import type { Workspace } from './workspace';

export type { AlreadyPlan, ChangePlan, Plan, Snapshot } from './plan';

/** pushHead, and when the push fails for a reason other than a newer remote head, says where the commit is. */
function pushOrSay(git: Git, target: PushTarget, commit: string): 'pushed' | 'rejected' {
  try {
    return pushHead(git, target);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    throw refused(
      `${error.message}; the commit ${commit.slice(0, 12)} stays in the local branch (check with git status; push it again with git push, or undo it with git reset --keep ${commit.slice(0, 12)}~1 while it is the branch's last commit)`,
    );
  }
}
/** Options shared by every command that changes files. */
export interface ApplyOptions {
  readonly commit: boolean;
  readonly push: boolean;
  /** Non-fast-forward pushes to retry (each re-applies the change on the new head). @default 3 */
  readonly retries?: number;
  /** Progress lines (retries), for stderr. @default - none */
  readonly log?: (line: string) => void;
}

/** The outcome of a command that changes files. */
export interface ApplyResult {
  readonly status: 'changed' | 'already';
  readonly summary: string;
  /** Files and folders written or removed, relative to the repository root. */
  readonly paths: readonly string[];
  /** Of `paths`, those removed (an environment file, its dist folder). */
  readonly removed: readonly string[];
  /** Rendered output folders that changed, with their files before and after (for diffs). */
  readonly rendered: ReadonlyMap<string, { before?: FolderFiles; after?: FolderFiles }>;
  readonly commit?: string;
  readonly pushed: boolean;
  /** Times the plan was made (1 unless a concurrent edit or a rejected push made it re-apply). */
  readonly attempts: number;
}

const CAS_ATTEMPTS = 5;

/**
 * Makes a change all or nothing: reads every environment file, asks `plan` what to change, renders it through
 * every gate, then, holding the lock, checks that the files still hold what was read (compare-and-swap),
 * writes the environment files and dist/ and commits exactly those paths. A file changed meanwhile makes it
 * read and plan again (the change is re-applied, never a stale file written). With `push`, a non-fast-forward
 * fetches, moves onto the new head and re-applies the change, up to `retries` times; when the new head
 * already holds the change it reports `already`.
 */
export async function applyChange(
  ws: Workspace,
  git: Git | undefined,
  plan: (snapshot: Snapshot) => Promise<Plan>,
  options: ApplyOptions,
): Promise<ApplyResult> {
  const retries = options.retries ?? 3;
  const target = options.push && git ? pushTarget(git) : undefined;
  let attempts = 0;
  let casConflicts = 0;
  let rejected = 0;
  for (;;) {
    attempts++;
    const texts = readAll(ws);
    const envs = ws.load(texts);
    let decision = await plan({ texts, envs });
    // The same command run before without --commit: its change is in the tree, uncommitted; commit it now.
    const pending =
      decision.kind === 'already' && options.commit && git
        ? await pendingChange(ws, git, texts, plan)
        : undefined;
    if (pending) decision = { ...pending, summary: `${pending.summary} (already in the working tree)` };
    if (decision.kind === 'already') {
      // After a rejected push: a commit on the new head already made this change.
      const there = rejected > 0 ? `already there: ${target?.remote}/${target?.branch} ` : '';
      return {
        status: 'already',
        summary: `${there}${decision.summary}`,
        paths: [],
        removed: [],
        rendered: new Map(),
        pushed: false,
        attempts,
      };
    }
    const outcome = writeChange(ws, git, texts, decision, options.commit, target !== undefined, !!pending);
    if (outcome === 'conflict') {
      casConflicts++;
      if (casConflicts >= CAS_ATTEMPTS) {
        throw refused(
          `${[...decision.files.keys()].map((f) => `${ws.environmentsDir}/${f}`).join(', ')} kept changing while this command ran (${CAS_ATTEMPTS} attempts); nothing was written`,
        );
      }
      options.log?.(`${[...decision.files.keys()].join(', ')} changed on disk meanwhile; reading it again`);
      continue;
    }
    if (!target || !git || !outcome.commit)
      return { ...outcome, summary: decision.summary, pushed: false, attempts };
    if (pushOrSay(git, target, outcome.commit) === 'pushed') {
      return { ...outcome, summary: decision.summary, pushed: true, attempts };
    }
    rejected++;
    if (rejected > retries) {
      throw refused(
        `git push to ${target.remote} ${target.branch} was rejected ${rejected} times (non-fast-forward; --retries ${retries}); the commit ${outcome.commit.slice(0, 12)} is local only`,
      );
    }
    options.log?.(
      `push rejected (non-fast-forward); re-applying on the new ${target.remote}/${target.branch} (retry ${rejected} of ${retries})`,
    );
    moveToRemoteHead(git, target, outcome.base as string);
  }
}

function readAll(ws: Workspace): Map<string, string> {
  const texts = new Map<string, string>();
  for (const file of ws.envFiles()) {
    const text = ws.readEnvText(file);
    if (text !== undefined) texts.set(file, text);
  }
  return texts;
}

interface Written {
  readonly status: 'changed';
  readonly paths: readonly string[];
  readonly removed: readonly string[];
  readonly rendered: ApplyResult['rendered'];
  readonly commit?: string;
  /** HEAD before the commit. */
  readonly base?: string;
}

function writeChange(
  ws: Workspace,
  git: Git | undefined,
  texts: ReadonlyMap<string, string>,
  plan: ChangePlan,
  commit: boolean,
  wantBase: boolean,
  pending = false,
): Written | 'conflict' {
  const overrides = new Map<string, string | null>(plan.files);
  const output = ws.render(overrides);
  const dist = new Map<string, FolderFiles | null>();
  const rendered = new Map<string, { before?: FolderFiles; after?: FolderFiles }>();
  // Output folders already rendered on disk: a pending change (see pendingChange) commits them as they are.
  const renderedOnDisk: string[] = [];
  for (const [folder, files] of output) {
    const before = ws.readDist(folder);
    if (files === null ? before === undefined : before !== undefined && sameFiles(before, files)) {
      renderedOnDisk.push(`${ws.distDir}/${folder}`);
      continue;
    }
    dist.set(folder, files);
    rendered.set(folder, { ...(before ? { before } : {}), ...(files ? { after: files } : {}) });
  }
  const envPaths = [...overrides.keys()].map((f) => `${ws.environmentsDir}/${f}`);
  const distPaths = [...dist.keys()].map((d) => `${ws.distDir}/${d}`);
  if (commit && !git) throw refused('--commit: not inside a git working tree');
  // Of the folders already rendered, those that differ from HEAD: what the earlier run wrote.
  const dirtyDist = pending && git && renderedOnDisk.length > 0 ? git.dirtyPaths(renderedOnDisk) : [];
  const carried = renderedOnDisk.filter((d) => dirtyDist.some((p) => p.startsWith(`${d}/`)));
  const paths = [...envPaths, ...distPaths, ...carried];
  const removed = [
    ...[...overrides].filter(([, text]) => text === null).map(([f]) => `${ws.environmentsDir}/${f}`),
    ...[...dist].filter(([, files]) => files === null).map(([d]) => `${ws.distDir}/${d}`),
  ];
  return withLock(lockPath(ws, git), () => {
    for (const [file] of overrides) {
      if (ws.readEnvText(file) !== texts.get(file)) return 'conflict';
    }
    // Under the lock: another ops process of this tree may have written its files and not committed them yet.
    // A pending change's files were proven to hold exactly this change; anything it still writes must be clean.
    const mustBeClean = pending ? distPaths : paths;
    if (commit && git && mustBeClean.length > 0) assertCommittable(git, mustBeClean);
    const oldEnv = new Map<string, string | null>(
      [...overrides.keys()].map((f) => [f, texts.get(f) ?? null]),
    );
    const oldDist = new Map<string, FolderFiles | null>(
      [...dist.keys()].map((d) => [d, rendered.get(d)?.before ?? null]),
    );
    ws.write(overrides, dist);
    if (!commit || !git) return { status: 'changed', paths, removed, rendered };
    // The commit the change was made on: only a push retry needs it (to check nothing else would be dropped).
    const base = wantBase ? git.head() : undefined;
    try {
      const added = [...(pending ? envPaths : []), ...addedPaths(ws, overrides, texts, rendered), ...carried];
      const id = commitPaths(git, paths, plan.message, added);
      return { status: 'changed', paths, removed, rendered, commit: id, ...(base ? { base } : {}) };
    } catch (error) {
      ws.write(oldEnv, oldDist); // the whole command succeeds or changes nothing
      throw error;
    }
  });
}

/** Files the change creates (untracked until added); the dirty check proved every other path tracked. */
function addedPaths(
  ws: Workspace,
  overrides: ReadonlyMap<string, string | null>,
  texts: ReadonlyMap<string, string>,
  rendered: ApplyResult['rendered'],
): string[] {
  const added: string[] = [];
  for (const [file, text] of overrides) {
    if (text !== null && !texts.has(file)) added.push(`${ws.environmentsDir}/${file}`);
  }
  for (const [folder, { before, after }] of rendered) {
    for (const name of after?.keys() ?? []) {
      if (!before?.has(name)) added.push(`${ws.distDir}/${folder}/${name}`);
    }
  }
  return added;
}

function sameFiles(a: FolderFiles, b: FolderFiles): boolean {
  if (a.size !== b.size) return false;
  for (const [name, content] of a) if (b.get(name) !== content) return false;
  return true;
}

function lockPath(ws: Workspace, git: Git | undefined): string {
  // The usual layout needs no git process; worktrees and submodules (.git is a file) ask git.
  const dotGit = join(ws.root, '.git');
  if (git && statSync(dotGit, { throwIfNoEntry: false })?.isDirectory())
    return join(dotGit, 'guestlist-ops.lock');
  const gitDir = git?.tryRun(['rev-parse', '--absolute-git-dir']).stdout.trim();
  return gitDir
    ? join(gitDir, 'guestlist-ops.lock')
    : join(ws.root, ws.environmentsDir, '.guestlist-ops.lock');
}
