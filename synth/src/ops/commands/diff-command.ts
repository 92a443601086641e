import { formatMarkdown, formatText, summarize } from '../diff-format';
import { changedAgainstRendered, changedDistFiles } from '../dist-at-ref';
import { checkEnvName } from '../env-name';
import { usageError } from '../errors';
import { diffRendered } from '../rendered-diff';
import { parse } from './args';
import type { OpsContext } from './context';

export const DIFF_HELP = `usage: npm run diff -- [--base <ref>] [--env <env>] [--format text|markdown|json]

A semantic diff of the rendered objects between <ref>'s dist/ and the working tree's: objects added,
removed and changed, with field paths and old → new values. List order is ignored where Kubernetes ignores
it (containers, env, ports, volumes by key; RBAC rules, NetworkPolicy peers, capabilities as sets). Risky
changes come first: removed objects, image, replicas and HPA bounds, resources, securityContext,
NetworkPolicy, RBAC, Service type, Ingress, Argo CD sync policy and project. When environments/, synth/src
or argocd/repo.yaml have uncommitted changes, the working tree is rendered fresh (through every gate)
instead of reading dist/.

  --base <ref>     the commit to compare with (default HEAD), e.g. origin/main or HEAD~1
  --env <env>      only this output folder (an environment, or argocd)
  --format         text (default), markdown (one PR comment: collapsed per environment, cut to GitHub's
                   65,536-character limit with a note), or json
  --json           same as --format json

Exit codes: 0 (whether or not anything changed), 1 failed (render gate, git), 2 usage error.

examples:
  npm run diff
  npm run diff -- --base origin/main --format markdown > diff.md
  npm run diff -- --base HEAD~1 --env prod`;

/** `diff [--base <ref>] [--env <env>] [--format text|markdown|json]` */
export async function diffCommand(argv: readonly string[], ctx: OpsContext): Promise<number> {
  const args = parse(
    argv,
    {
      base: { type: 'string' },
      env: { type: 'string' },
      format: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    [],
  );
  if (args.help) {
    ctx.io.out(DIFF_HELP);
    return 0;
  }
  const v = args.values;
  const format = v.json === true ? 'json' : ((v.format as string | undefined) ?? 'text');
  if (!['text', 'markdown', 'json'].includes(format)) {
    throw usageError(`--format ${JSON.stringify(format)}: must be text, markdown or json`);
  }
  const folders = typeof v.env === 'string' ? new Set([checkEnvName(v.env)]) : undefined;
  const base = typeof v.base === 'string' ? v.base : 'HEAD';
  const git = ctx.git();
  if (base.startsWith('-') || base.trim() === '') {
    throw usageError(`--base ${JSON.stringify(base)}: not a commit in this repository`);
  }
  const ws = ctx.workspace();
  // One status call: uncommitted sources mean dist/ may be stale (render fresh); untracked dist files are new.
  const status = git.status([ws.environmentsDir, 'synth/src', 'argocd/repo.yaml', ws.distDir]);
  const inDist = (path: string) => path.startsWith(`${ws.distDir}/`);
  const fresh = status.some((e) => !inDist(e.path));
  const untracked = status.filter((e) => e.code === '??' && inDist(e.path)).map((e) => e.path);
  const pair = fresh
    ? changedAgainstRendered(git, base, ws.distDir, ws.renderAll(), folders)
    : changedDistFiles(git, base, ws.distDir, untracked, folders);
  const changes = diffRendered(pair.before, pair.after);
  const labels = { base, head: fresh ? 'working tree (rendered fresh)' : 'working tree' };
  if (format === 'json') {
    ctx.io.out(JSON.stringify({ base, fresh, summary: summarize(changes), changes }, null, 2));
  } else if (format === 'markdown') {
    ctx.io.out(formatMarkdown(changes, labels));
  } else {
    ctx.io.out(formatText(changes, labels));
  }
  return 0;
}
