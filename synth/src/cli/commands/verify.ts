/** `verify <env>`: wait until the environment is verified live at the image git says, or fail saying why. */
import { prepareVerify } from '../../cluster/verify-prepare';
import type { VerifyOutcome, VerifyTarget } from '../../cluster/verify-run';
import { formatDuration } from '../../domain/duration';
import { formatImage } from '../../domain/image-ref';
import { defineCommand } from '../command';
import { CLUSTER_OPTIONS, durationFlag, loadClusterAccess } from './cluster-options';

export const verifyCommand = defineCommand({
  name: 'verify',
  summary: 'wait until <env> is live as git says (Argo CD, git ancestry, rollout, pod digests, metrics soak)',
  synopsis: '<env> [--timeout 10m] [--json] [--context <ctx>] [--kubeconfig <file>]',
  description: `Waits until, all at once: the Argo CD Application is Synced and Healthy with no operation running and was
reconciled after its last sync; the commit R that last changed dist/<env> is the synced revision or an
ancestor of it with dist/<env> unchanged in between; the Deployment's rollout is complete and every ready pod
runs the expected image (its digest when pinned); the environment's verification queries held for the soak.
dist/ must be inside a git clone with history.`,
  positionals: [{ name: 'env', help: 'the environment to verify' }],
  options: {
    ...CLUSTER_OPTIONS,
    timeout: { type: 'string', value: '<dur>', help: 'give up after this long (default: 10m)' },
  },
  exitCodes:
    '0 verified, 1 failed, timed out, no kubeconfig, refused by the cluster or a broken file, 2 usage error',
  examples: [
    'npm run verify -- dev',
    'npm run verify -- prod --timeout 15m --context prod-eks',
    'npm run verify -- staging --json > verify.json',
  ],
  async run({ values, positionals }, ctx) {
    const env = positionals[0] as string;
    const timeoutMs = durationFlag('timeout', values.timeout, 600_000);
    const requestTimeoutMs = durationFlag('request-timeout', values['request-timeout'], 10_000);
    const prepared = prepareVerify(env, {
      cwd: ctx.cwd,
      ...(values.environments !== undefined ? { environments: values.environments } : {}),
      ...(values.dist !== undefined ? { dist: values.dist } : {}),
    });
    if ('refused' in prepared) {
      if (values.json) {
        ctx.io.out(JSON.stringify({ environment: env, result: 'failed', reason: prepared.refused }, null, 2));
      }
      ctx.io.err(`verify ${env}: failed: ${prepared.refused}`);
      return 1;
    }
    const { target, repo } = prepared;
    // Loaded on use: @kubernetes/client-node is needed only once the cluster is asked.
    const { createClusterReader } = await import('../../cluster/kube-client');
    const { runVerify } = await import('../../cluster/verify-run');
    const access = await loadClusterAccess('verify', values, ctx);
    const reader = createClusterReader(access, { timeoutMs: requestTimeoutMs });
    ctx.io.err(
      `verify ${env}: expecting ${formatImage(target.expected)} from ${target.commit.slice(0, 12)} via ${target.application.namespace}/${target.application.name} (context ${access.context})`,
    );
    const outcome = await runVerify(target, {
      reader,
      repo,
      timeoutMs,
      onProgress: (line) => ctx.io.err(`verify ${env}: ${line}`),
    }).finally(() => reader.close());
    const line = summary(env, target, outcome, timeoutMs);
    if (values.json) {
      ctx.io.out(
        JSON.stringify(
          {
            environment: env,
            result: outcome.kind,
            ...(outcome.kind === 'failed' ? { reason: outcome.reason } : {}),
            ...(outcome.kind === 'timeout' ? { condition: outcome.condition } : {}),
            image: formatImage(target.expected),
            commit: target.commit,
            ...(outcome.kind === 'verified'
              ? {
                  revision: outcome.revision,
                  pods: outcome.live,
                  ...(outcome.metrics ? { metrics: outcome.metrics } : {}),
                }
              : {}),
            elapsedMs: outcome.elapsedMs,
          },
          null,
          2,
        ),
      );
    }
    if (outcome.kind === 'verified') {
      if (!values.json) ctx.io.out(line);
      return 0;
    }
    ctx.io.err(line);
    return 1;
  },
});

/** The last line of a run: what was verified where, or the reason it was not. */
function summary(env: string, t: VerifyTarget, outcome: VerifyOutcome, timeoutMs: number): string {
  const took = formatDuration(outcome.elapsedMs);
  if (outcome.kind === 'failed') return `verify ${env}: failed: ${outcome.reason} (after ${took})`;
  if (outcome.kind === 'timeout') {
    return `verify ${env}: timed out after ${formatDuration(timeoutMs)}; first unmet condition: ${outcome.condition}`;
  }
  const at =
    outcome.revision.slice(0, 12) === t.commit.slice(0, 12)
      ? `at ${t.commit.slice(0, 12)}`
      : `at ${outcome.revision.slice(0, 12)} (contains ${t.commit.slice(0, 12)}; ${outcome.unrelated} later commit(s) leave ${t.sourcePath} unchanged)`;
  const digests = [...new Set(outcome.live.map((c) => c.digest ?? c.image))].join(', ');
  const metrics = outcome.metrics ? `; ${outcome.metrics}` : '';
  return `verify ${env}: verified ${formatImage(t.expected)} live ${at}; ${outcome.live.length} ready pod(s) run ${digests}${metrics} (${took})`;
}
