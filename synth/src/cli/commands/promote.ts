/**
 * `promote <from> <to>`: copy the image verified live in <from> into <to>, along the declared chain, as a
 * commit on the current branch (with --commit). The promote/<env> branch and its PR are made by promote.yml.
 */

import { parseDuration } from '../../domain/duration';
import { formatImage } from '../../domain/image-ref';
import { usageError } from '../../errors';
import { applyChange } from '../../ops/changes/apply';
import { type PromoteInfo, planPromote } from '../../ops/changes/promote';
import type { VerifyGate } from '../../ops/changes/verify-gate';
import { diffRendered } from '../../ops/diff/rendered-diff';
import { defineCommand } from '../command';
import { promoteSummary } from './promote-summary';
import { openRepository } from './repository';
import { envArg, REASON_OPTION, reasonFlag, WRITE_OPTIONS, writeFlags } from './write-options';

export const promoteCommand = defineCommand({
  name: 'promote',
  summary: 'copy the image of <from> into <to> along the chain, gated on verify <from>',
  synopsis:
    '<from> <to> [--skip-verify --reason "<text>"] [--format text|markdown] [--commit] [--push [--retries N]] [--json] [--context <ctx>] [--kubeconfig <file>] [--timeout <dur>]',
  description: `Copies <from>'s exact image (tag and digest) into environments/<to>.yaml, only along the declared chain
(<to>'s promotion.from is <from>), and only when <from> is verified live at that image now (Argo CD synced
and healthy at the commit that set it, rollout complete, every ready pod running that digest), which needs
read access to the cluster (--kubeconfig, --context or KUBECONFIG). Prints a pull-request title and body,
with the rendered diff of <to>. With --commit it commits on the current branch; the promote/<to> branch
and its pull request are made by the promote workflow (.github/workflows/promote.yml).`,
  positionals: [
    { name: 'from', help: 'the environment whose verified image is copied' },
    { name: 'to', help: 'the next environment (its promotion.from is <from>)' },
  ],
  options: {
    'skip-verify': {
      type: 'boolean',
      help: 'promote without the verification gate (needs --reason, in the trailers)',
    },
    reason: REASON_OPTION,
    format: {
      type: 'string',
      value: 'text|markdown',
      help: "the summary's format (default text); markdown fits one PR description",
    },
    context: {
      type: 'string',
      value: '<ctx>',
      help: 'kubeconfig context for the verification (default: the current one)',
    },
    kubeconfig: {
      type: 'string',
      value: '<file>',
      help: 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)',
    },
    timeout: {
      type: 'string',
      value: '<dur>',
      help: "how long the gate's verify may wait, a metrics soak included (default 1m)",
    },
    ...WRITE_OPTIONS,
  },
  exitCodes:
    '0 done or already there, 1 refused (not verified, no cluster access, pinned, off the chain, policy), 2 usage error',
  examples: [
    'npm run promote -- dev staging',
    'npm run promote -- staging prod --format markdown --commit > pr-body.md',
    'npm run promote -- dev staging --skip-verify --reason "cluster API down; verified by hand" --commit --push',
  ],
  async run({ values: v, positionals }, ctx) {
    const from = envArg(positionals[0], 'source environment');
    const to = envArg(positionals[1], 'target environment');
    const skipVerify = v['skip-verify'] === true;
    const reason = reasonFlag(v.reason, skipVerify ? '--skip-verify' : undefined);
    const format = v.format ?? 'text';
    if (format !== 'text' && format !== 'markdown') {
      throw usageError(`--format ${JSON.stringify(format)}: must be text or markdown`);
    }
    const flags = writeFlags(v);
    let timeoutMs = 60_000;
    if (v.timeout !== undefined) {
      const ms = parseDuration(v.timeout);
      if (ms === undefined || ms <= 0) {
        throw usageError(
          `--timeout ${JSON.stringify(v.timeout)}: must be a positive duration such as 90s, 10m or 1h30m`,
        );
      }
      timeoutMs = ms;
    }
    const repo = openRepository(ctx.cwd);
    // Loaded on use: the gate brings @kubernetes/client-node, which no other part of promote needs.
    const gate: VerifyGate = async (env, image) => {
      const { clusterGate } = await import('../../ops/changes/cluster-gate');
      return clusterGate({
        root: repo.root(),
        env: ctx.env,
        ...(ctx.home !== undefined ? { home: ctx.home } : {}),
        ...(v.context !== undefined ? { context: v.context } : {}),
        ...(v.kubeconfig !== undefined ? { kubeconfig: v.kubeconfig } : {}),
        timeoutMs,
        onProgress: (line) => ctx.io.err(`promote: verify ${from}: ${line}`),
      })(env, image);
    };
    let info: PromoteInfo | undefined;
    const result = await applyChange(
      repo.workspace(),
      flags.commit ? repo.git() : undefined,
      (snapshot) =>
        planPromote({ from, to, skipVerify, ...(reason ? { reason } : {}) }, snapshot, gate, (i) => {
          info = i;
        }),
      { ...flags, log: (line) => ctx.io.err(`promote: ${line}`) },
    );
    const changes = diffRendered(
      new Map([...result.rendered].flatMap(([d, r]) => (r.before ? [[d, r.before]] : []))),
      new Map([...result.rendered].flatMap(([d, r]) => (r.after ? [[d, r.after]] : []))),
    );
    const summary = promoteSummary(from, to, result, info, changes, format);
    if (flags.json) {
      ctx.io.out(
        JSON.stringify(
          {
            command: 'promote',
            status: result.status,
            from,
            to,
            ...(info
              ? {
                  image: formatImage(info.image),
                  previousImage: formatImage(info.previous),
                  verified: info.verified,
                  ...(info.verifiedRevision ? { verifiedRevision: info.verifiedRevision } : {}),
                  ...(info.reason ? { reason: info.reason } : {}),
                }
              : {}),
            title: summary.title,
            body: summary.body,
            paths: result.paths,
            ...(result.commit ? { commit: result.commit } : {}),
            pushed: result.pushed,
            attempts: result.attempts,
          },
          null,
          2,
        ),
      );
    } else {
      ctx.io.out(`${summary.title}\n\n${summary.body}`);
      if (result.commit)
        ctx.io.err(`promote: committed ${result.commit}${result.pushed ? ' and pushed' : ''}`);
    }
    return 0;
  },
});
