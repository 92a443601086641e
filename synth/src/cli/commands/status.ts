/** `status`: for each environment, file vs dist vs live image, Argo CD state, rollout and one verdict. */
import { relative, resolve } from 'node:path';
import { parseSubject, renderReaderRbac } from '../../cluster/rbac-output';
import { formatStatusTable } from '../../cluster/status-format';
import { loadTargets } from '../../cluster/targets';
import { defineCommand } from '../command';
import { CLUSTER_OPTIONS, durationFlag, loadClusterAccess } from './cluster-options';

export const statusCommand = defineCommand({
  name: 'status',
  summary:
    'what runs where: file vs dist vs live image, Argo CD sync and health, rollout, one verdict per environment',
  synopsis: '[--env <name>]... [--json] [--context <ctx>] [--kubeconfig <file>]',
  description: `For each environment: the image its file asks for, the image dist/ deploys, the images the ready pods run,
Argo CD's sync and health, the rollout, and one verdict: in sync, dist stale, not yet synced, rolling out,
degraded, unknown (the cluster could not be read).`,
  positionals: [],
  options: {
    ...CLUSTER_OPTIONS,
    env: {
      type: 'string',
      multiple: true,
      value: '<name>',
      help: 'only this environment (repeatable; default: every environments/*.yaml)',
    },
    rbac: {
      type: 'string',
      multiple: true,
      value: '<subject>',
      help: 'print instead the read-only Roles/RoleBindings status and verify need, for group:<name>, user:<name> or serviceaccount:<ns>/<name> (repeatable; kubectl apply -f -)',
    },
  },
  exitCodes:
    '0 every verdict known, 1 a verdict is unknown (cluster unreadable), no kubeconfig or a file is broken, 2 usage error',
  examples: [
    'npm run status',
    'npm run status -- --env prod --env staging --context prod-eks',
    'npm run status -- --json > status.json',
    'npm run status -- --rbac group:guestlist-ci | kubectl apply -f -',
  ],
  async run({ values }, ctx) {
    const timeoutMs = durationFlag('request-timeout', values['request-timeout'], 10_000);
    const show = (p: string) => relative(ctx.cwd, p) || '.';
    const targets = loadTargets({
      environmentsDir: resolve(ctx.cwd, values.environments ?? 'environments'),
      distDir: resolve(ctx.cwd, values.dist ?? 'dist'),
      only: values.env ?? [],
      what: '--env',
      show,
    });
    if (values.rbac && values.rbac.length > 0) {
      // A separate output: the read-only RBAC for these environments, for a cluster admin to apply once.
      ctx.io.out(renderReaderRbac(targets, values.rbac.map(parseSubject)));
      return 0;
    }
    // Loaded on use: @kubernetes/client-node is needed only once the cluster is asked.
    const { createClusterReader } = await import('../../cluster/kube-client');
    const { collectStatus } = await import('../../cluster/status-run');
    const access = await loadClusterAccess('status', values, ctx);
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
  },
});
