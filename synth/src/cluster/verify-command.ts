import { relative, resolve } from 'node:path';
import { formatDuration } from '../domain/duration';
import { formatImage } from '../domain/image-ref';
import { ClusterUsageError, COMMON_OPTIONS, durationFlag, parseCommandArgs } from './cluster-args';
import { type ClusterCommandContext, reportCommandError } from './command-context';
import { GitRepo } from './git-live';
import { createClusterReader } from './kube-client';
import { loadKubeConfig } from './kube-config';
import { loadTargets } from './targets';
import { runVerify, type VerifyOutcome } from './verify-run';
import { prepareTarget, type VerifyTarget } from './verify-target';
import { VERIFY_USAGE } from './verify-usage';

/** The target of `<env>` from its file and dist/, and the clone (fetching a missing revision once). */
function prepare(
  env: string,
  values: { environments?: string; dist?: string },
  ctx: ClusterCommandContext,
): { target: VerifyTarget; repo: GitRepo } | { refused: string } {
  const distDir = resolve(ctx.cwd, values.dist ?? 'dist');
  const [t] = loadTargets({
    environmentsDir: resolve(ctx.cwd, values.environments ?? 'environments'),
    distDir,
    only: [env],
    show: (p) => relative(ctx.cwd, p) || '.',
  });
  if (!t) throw new ClusterUsageError(`unknown environment "${env}"`);
  if (t.distProblem) return { refused: t.distProblem };
  const repo = GitRepo.open(distDir);
  const prepared = prepareTarget(t, repo, distDir);
  return 'refused' in prepared ? prepared : { target: prepared.target, repo };
}

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

/** `synth verify <env>`: waits until the environment is verified live, or fails with the first unmet condition. */
export async function runVerifyCommand(args: readonly string[], ctx: ClusterCommandContext): Promise<number> {
  try {
    const { values, positionals } = parseCommandArgs(
      { ...COMMON_OPTIONS, timeout: { type: 'string' } },
      args,
    );
    if (values.help) {
      ctx.io.out(VERIFY_USAGE);
      return 0;
    }
    if (positionals.length !== 1) {
      throw new ClusterUsageError(
        positionals.length === 0
          ? 'which environment? usage: npm run verify -- <env> [--timeout 10m]'
          : `one environment at a time, got ${positionals.length}: ${positionals.join(' ')}`,
      );
    }
    const env = positionals[0] as string;
    const timeoutMs = durationFlag('timeout', values.timeout, 600_000);
    const requestTimeoutMs = durationFlag('request-timeout', values['request-timeout'], 10_000);
    const prepared = prepare(env, values, ctx);
    if ('refused' in prepared) {
      if (values.json)
        ctx.io.out(JSON.stringify({ environment: env, result: 'failed', reason: prepared.refused }, null, 2));
      ctx.io.err(`verify ${env}: failed: ${prepared.refused}`);
      return 1;
    }
    const { target, repo } = prepared;
    const access = loadKubeConfig({
      ...(values.kubeconfig !== undefined ? { kubeconfig: values.kubeconfig } : {}),
      ...(values.context !== undefined ? { context: values.context } : {}),
      env: ctx.env,
      ...(ctx.home !== undefined ? { home: ctx.home } : {}),
    });
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
  } catch (error) {
    return reportCommandError('verify', error, ctx);
  }
}
