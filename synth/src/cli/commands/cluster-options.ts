/** The options status and verify share: how to reach the cluster, where the files are, JSON output. */

import type { KubeAccess } from '../../cluster/kube-config';
import { parseDuration } from '../../domain/duration';
import { refused, usageError } from '../../errors';
import { type CliContext, HELP_OPTION, type OptionSpec } from '../command';

export const CLUSTER_OPTIONS = {
  context: {
    type: 'string',
    value: '<ctx>',
    help: 'kubeconfig context (default: the current context; in a pod: its service account)',
  },
  kubeconfig: {
    type: 'string',
    value: '<file>',
    help: 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)',
  },
  environments: { type: 'string', value: '<dir>', help: 'environment files (default: environments)' },
  dist: { type: 'string', value: '<dir>', help: 'rendered output (default: dist)' },
  'request-timeout': { type: 'string', value: '<dur>', help: 'deadline of each API request (default: 10s)' },
  json: { type: 'boolean', help: 'one JSON document on stdout (for CI; progress stays on stderr)' },
  help: HELP_OPTION,
} as const satisfies Record<string, OptionSpec>;

/** A duration flag such as `--timeout 10m`; a usage error naming the flag, value and rule otherwise. */
export function durationFlag(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0) {
    throw usageError(`--${flag} "${value}" must be a positive duration such as 90s, 10m or 1h30m`);
  }
  return ms;
}

/** What a command that reads the cluster says when it has no access: how to give it some. */
export function readAccessHint(command: string): string {
  return `give ${command} read access to the cluster with --kubeconfig <file>, --context <ctx> or KUBECONFIG (npm run status -- --rbac <subject> prints the read-only RBAC)`;
}

/**
 * The kubeconfig of `--kubeconfig`/`--context` (else as kubectl finds it); a kubeconfig problem is a refusal
 * (exit 1) that ends with how to give `command` read access. Loads @kubernetes/client-node on use.
 */
export async function loadClusterAccess(
  command: string,
  values: { readonly kubeconfig?: string | undefined; readonly context?: string | undefined },
  ctx: CliContext,
): Promise<KubeAccess> {
  const { ClusterConfigError, loadKubeConfig } = await import('../../cluster/kube-config');
  try {
    return loadKubeConfig({
      ...(values.kubeconfig !== undefined ? { kubeconfig: values.kubeconfig } : {}),
      ...(values.context !== undefined ? { context: values.context } : {}),
      env: ctx.env,
      ...(ctx.home !== undefined ? { home: ctx.home } : {}),
    });
  } catch (error) {
    if (!(error instanceof ClusterConfigError)) throw error;
    throw refused(`${error.message}; ${readAccessHint(command)}`);
  }
}
