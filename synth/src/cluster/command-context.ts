import { UserError } from '../errors';
import { ClusterUsageError } from './cluster-args';
import { GitSetupError } from './git-live';
import { ClusterAccessError } from './kube-client';
import { ClusterConfigError } from './kube-config';
import { PrometheusQueryError } from './prometheus-query';
import { TargetError } from './targets';

/** What status and verify get from the CLI (the synth CLI's context has the same shape). */
export interface ClusterCommandContext {
  readonly io: { readonly out: (text: string) => void; readonly err: (text: string) => void };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Home folder for ~/.kube/config (tests). @default os.homedir() */
  readonly home?: string;
}

/**
 * Prints an error of status / verify as one line per problem and returns the exit code: 2 for usage and
 * configuration (arguments, environment files, kubeconfig, context, a clone without history), 1 for the rest
 * (the cluster refused or could not answer, a query Prometheus refused). Anything else is an internal error.
 */
export function reportCommandError(command: string, error: unknown, ctx: ClusterCommandContext): number {
  const err = ctx.io.err;
  if (error instanceof TargetError) {
    for (const line of error.errors) err(line);
    err(`${command}: ${error.errors.length} error(s) in the environment files`);
    return 2;
  }
  if (
    error instanceof ClusterUsageError ||
    error instanceof ClusterConfigError ||
    error instanceof GitSetupError
  ) {
    err(`${command}: ${error.message}`);
    return 2;
  }
  if (error instanceof ClusterAccessError || error instanceof PrometheusQueryError) {
    err(`${command}: ${error.message}`);
    return 1;
  }
  if (error instanceof UserError) {
    // The project's user errors (git, the render gates): each line names its own place.
    for (const line of error.errors) err(error.errors.length === 1 ? `${command}: ${line}` : line);
    return error.exitCode;
  }
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
  err(`${command}: internal error: ${message} (a bug, not in your files; SYNTH_DEBUG=1 prints the stack)`);
  if (ctx.env.SYNTH_DEBUG === '1' && error instanceof Error && error.stack) err(error.stack);
  return 1;
}
