// The decision a command makes from one read of the environment files: what to change, or nothing.
import type { EnvironmentView } from '../../config';
import type { EnvOverrides } from './workspace';

/** What a command wants to change, decided from one consistent read of the environment files. */
export interface ChangePlan {
  readonly kind: 'change';
  /** Environment files to write (file name → new text, null to delete). */
  readonly files: EnvOverrides;
  /** The commit message (with trailers) used by `--commit`. */
  readonly message: string;
  /** One line for people, e.g. `dev: 0.1.0 → 0.2.0`. */
  readonly summary: string;
}

/** Nothing to do: the repository already holds the intended state. */
export interface AlreadyPlan {
  readonly kind: 'already';
  readonly summary: string;
}

/** A command's decision. */
export type Plan = ChangePlan | AlreadyPlan;

/** What the command read: every environment file's text, and the validated environments. */
export interface Snapshot {
  readonly texts: ReadonlyMap<string, string>;
  readonly envs: ReadonlyMap<string, EnvironmentView>;
}
