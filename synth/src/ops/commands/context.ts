import type { Git } from '../../domain/git';
import type { VerifyGate } from '../verify-gate';
import type { Workspace } from '../workspace';
import type { Io } from './args';

/** How promote's gate reaches the cluster (its flags). */
export interface GateOptions {
  readonly context?: string;
  readonly kubeconfig?: string;
  /** @default 60_000 */
  readonly timeoutMs?: number;
  readonly onProgress?: (line: string) => void;
}

/** Everything a command needs from the outside world; tests build one over a temporary repository. */
export interface OpsContext {
  readonly io: Io;
  /** The repository's workspace (environment files, renderer, dist/). */
  workspace(): Workspace;
  /** git in the repository (a refusal when it is not a git working tree). */
  git(): Git;
  /** The promotion gate, reading the cluster through the given kubeconfig and context. */
  gate(options: GateOptions): VerifyGate;
  now(): Date;
}
