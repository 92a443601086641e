import { relative, resolve } from 'node:path';
import { ClusterUsageError, COMMON_OPTIONS, durationFlag, parseCommandArgs } from './cluster-args';
import { type ClusterCommandContext, reportCommandError } from './command-context';
import { createClusterReader } from './kube-client';
import { loadKubeConfig } from './kube-config';
import { parseSubject, renderReaderRbac } from './rbac-output';
import { formatStatusTable } from './status-format';
import { collectStatus } from './status-run';
import { STATUS_USAGE } from './status-usage';
import { loadTargets } from './targets';

/** `synth status`: for each environment, file vs dist vs live image, Argo CD state, rollout and one verdict. */
export async function runStatus(args: readonly string[], ctx: ClusterCommandContext): Promise<number> {
  try {
    const { values, positionals } = parseCommandArgs(
      {
        ...COMMON_OPTIONS,
        env: { type: 'string', multiple: true },
        rbac: { type: 'string', multiple: true },
      },
      args,
    );
    if (positionals.length > 0) {
      throw new ClusterUsageError(
        `unexpected argument "${positionals[0]}"; select environments with --env <name>`,
      );
    }
    if (values.help) {
      ctx.io.out(STATUS_USAGE);
      return 0;
    }
    const timeoutMs = durationFlag('request-timeout', values['request-timeout'], 10_000);
    const show = (p: string) => relative(ctx.cwd, p) || '.';
    const targets = loadTargets({
      environmentsDir: resolve(ctx.cwd, values.environments ?? 'environments'),
      distDir: resolve(ctx.cwd, values.dist ?? 'dist'),
      only: values.env ?? [],
      show,
    });
    if (values.rbac && values.rbac.length > 0) {
      // A separate output: the read-only RBAC for these environments, for a cluster admin to apply once.
      ctx.io.out(renderReaderRbac(targets, values.rbac.map(parseSubject)));
      return 0;
    }
    const access = loadKubeConfig({
      ...(values.kubeconfig !== undefined ? { kubeconfig: values.kubeconfig } : {}),
      ...(values.context !== undefined ? { context: values.context } : {}),
      env: ctx.env,
      ...(ctx.home !== undefined ? { home: ctx.home } : {}),
    });
    const reader = createClusterReader(access, { timeoutMs });
    const rows = await collectStatus(targets, reader).finally(() => reader.close());
    if (values.json) {
      ctx.io.out(
        JSON.stringify({ context: access.context, server: access.server, environments: rows }, null, 2),
      );
    } else {
      ctx.io.out(`context ${access.context} (${access.server})\n${formatStatusTable(rows)}`);
    }
    return rows.some((r) => r.verdict === 'unknown') ? 1 : 0;
  } catch (error) {
    return reportCommandError('status', error, ctx);
  }
}
