import { parseDuration } from '../../domain/duration';
import { formatImage } from '../../domain/image-ref';
import { applyChange } from '../apply';
import { usageError } from '../errors';
import { type PromoteInfo, planPromote } from '../promote';
import { diffRendered } from '../rendered-diff';
import { envArg, parse, reasonFlag, WRITE_OPTIONS, writeFlags } from './args';
import type { OpsContext } from './context';
import { promoteSummary } from './promote-summary';

export const PROMOTE_HELP = `usage: npm run promote -- <from> <to> [--skip-verify --reason "<text>"] [--format text|markdown]
                           [--commit] [--push [--retries N]] [--json]
                           [--context <ctx>] [--kubeconfig <file>] [--timeout <dur>]

Copies <from>'s exact image (tag and digest) into environments/<to>.yaml, only along the declared chain
(<to>'s promotion.from is <from>), and only when <from> is verified live at that image now (Argo CD synced
and healthy at the commit that set it, rollout complete, every ready pod running that digest). Prints a
pull-request title and body, with the rendered diff of <to>.

  --skip-verify --reason  promote without the verification gate; recorded in the trailers
  --format text|markdown  the summary's format (default text); markdown fits one PR description
  --commit, --push, --retries N, --json   as for bump
  --context <ctx>         kubeconfig context for the verification (default: the current one)
  --kubeconfig <file>     kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)
  --timeout <dur>         how long the gate's verify may wait, a metrics soak included (default 1m)

Exit codes: 0 done or already there, 1 refused (not verified, pinned, off the chain, policy), 2 usage error.

examples:
  npm run promote -- dev staging
  npm run promote -- staging prod --format markdown --commit > pr-body.md
  npm run promote -- dev staging --skip-verify --reason "cluster API down; verified by hand" --commit --push`;

/** `promote <from> <to> …` */
export async function promoteCommand(argv: readonly string[], ctx: OpsContext): Promise<number> {
  const args = parse(
    argv,
    {
      ...WRITE_OPTIONS,
      'skip-verify': { type: 'boolean' },
      reason: { type: 'string' },
      format: { type: 'string' },
      context: { type: 'string' },
      kubeconfig: { type: 'string' },
      timeout: { type: 'string' },
    },
    ['from', 'to'],
  );
  if (args.help) {
    ctx.io.out(PROMOTE_HELP);
    return 0;
  }
  const from = envArg(args.positionals[0], 'source environment');
  const to = envArg(args.positionals[1], 'target environment');
  const v = args.values;
  const skipVerify = v['skip-verify'] === true;
  const reason = reasonFlag(v, skipVerify ? '--skip-verify' : undefined);
  const format = (v.format as string | undefined) ?? 'text';
  if (format !== 'text' && format !== 'markdown') {
    throw usageError(`--format ${JSON.stringify(format)}: must be text or markdown`);
  }
  const flags = writeFlags(v);
  let timeoutMs = 60_000;
  if (typeof v.timeout === 'string') {
    const ms = parseDuration(v.timeout);
    if (ms === undefined || ms <= 0) {
      throw usageError(
        `--timeout ${JSON.stringify(v.timeout)}: must be a positive duration such as 90s, 10m or 1h30m`,
      );
    }
    timeoutMs = ms;
  }
  const gate = ctx.gate({
    ...(typeof v.context === 'string' ? { context: v.context } : {}),
    ...(typeof v.kubeconfig === 'string' ? { kubeconfig: v.kubeconfig } : {}),
    timeoutMs,
    onProgress: (line) => ctx.io.err(`promote: verify ${from}: ${line}`),
  });
  let info: PromoteInfo | undefined;
  const result = await applyChange(
    ctx.workspace(),
    flags.commit ? ctx.git() : undefined,
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
    if (result.commit) ctx.io.err(`promote: committed ${result.commit}${result.pushed ? ' and pushed' : ''}`);
  }
  return 0;
}
