import { Git } from '../../domain/git';
import type { OpsContext } from '../commands/context';
import { refused } from '../errors';
import { repoWorkspace } from '../repo-workspace';
import type { VerifyGate } from '../verify-gate';
import { type TempRepo, tempRepo } from './temp-repo';

/** What a test's commands printed. */
export interface Captured {
  readonly ctx: OpsContext;
  out(): string;
  err(): string;
  /** Forget what was printed so far. */
  clear(): void;
}

/** No cluster: a gate that always answers "unreachable" (tests that verify use the cluster module's fake API). */
const noCluster: VerifyGate = async () => ({ ok: false, reason: 'no cluster in this test' });

/** A command context over the checkout in `dir`, printing into memory. */
export function opsContext(dir: string, options: { gate?: VerifyGate; now?: Date } = {}): Captured {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: OpsContext = {
    io: { out: (t) => out.push(t), err: (t) => err.push(t) },
    workspace: () => repoWorkspace(dir),
    git: () => Git.open(dir),
    gate: () => options.gate ?? noCluster,
    now: () => options.now ?? new Date('2026-03-04T05:06:07Z'),
  };
  return {
    ctx,
    out: () => out.join('\n'),
    err: () => err.join('\n'),
    clear: () => {
      out.length = 0;
      err.length = 0;
    },
  };
}

/** A temporary clone (with a bare origin) of this repository's environments, dist/ and Argo CD settings. */
export function opsRepo(extra: Readonly<Record<string, string>> = {}): TempRepo {
  return tempRepo(extra, ['environments', 'dist', 'argocd/repo.yaml']);
}

/** Throws when used: for contexts that must not reach git. */
export function noGit(): never {
  throw refused('git was not expected in this test');
}
