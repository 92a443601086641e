import type { Git } from '../git';
import type { VerifyGate } from '../verify-gate';
import type { Workspace } from '../workspace';
import type { Io } from './args';

/** Everything a command needs from the outside world; tests build one over a temporary repository. */
export interface OpsContext {
  readonly io: Io;
  /** The repository's workspace (environment files, renderer, dist/). */
  workspace(): Workspace;
  /** git in the repository (a refusal when it is not a git working tree). */
  git(): Git;
  /** The promotion gate, reading the cluster through the given kubeconfig context. */
  gate(options: { readonly context?: string }): VerifyGate;
  now(): Date;
}
