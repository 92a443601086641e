/** `diff [--base <ref>]`: the semantic diff of the rendered objects against a git ref, risky changes first. */
import { usageError } from '../../errors';
import { checkEnvName } from '../../ops/changes/env-name';
import { formatMarkdown, formatText, summarize } from '../../ops/diff/diff-format';
import { diffRendered } from '../../ops/diff/rendered-diff';
import { changedAgainstRendered, changedDistFiles } from '../../ops/git/dist-at-ref';
import { defineCommand, HELP_OPTION } from '../command';
import { openRepository } from './repository';

const FORMATS = ['text', 'markdown', 'json'];

export const diffCommand = defineCommand({
  name: 'diff',
  summary: 'semantic diff of rendered objects against a git ref, risky changes first',
  synopsis: '[--base <ref>] [--env <env>] [--format text|markdown|json]',
  description: `A semantic diff of the rendered objects between <ref>'s dist/ and the working tree's: objects added,
removed and changed, with field paths and old → new values. List order is ignored where Kubernetes ignores
it (containers, env, ports, volumes by key; RBAC rules, NetworkPolicy peers, capabilities as sets). Risky
changes come first: removed objects, image, replicas and HPA bounds, resources, securityContext,
NetworkPolicy, RBAC, Service type, Ingress, Argo CD sync policy and project. When environments/, synth/src
or argocd/repo.yaml have uncommitted changes, the working tree is rendered fresh (through every gate)
instead of reading dist/.`,
  positionals: [],
  options: {
    base: {
      type: 'string',
      value: '<ref>',
      help: 'the commit to compare with (default HEAD), e.g. origin/main or HEAD~1',
    },
    env: { type: 'string', value: '<env>', help: 'only this output folder (an environment, or argocd)' },
    format: {
      type: 'string',
      value: 'text|markdown|json',
      help: 'text (default); markdown: one PR comment, collapsed per environment, cut to 65,536 characters',
      conflicts: ['json'],
    },
    json: { type: 'boolean', help: 'same as --format json' },
    help: HELP_OPTION,
  },
  exitCodes: '0 (whether or not anything changed), 1 failed (render gate, git), 2 usage error',
  examples: [
    'npm run diff',
    'npm run diff -- --base origin/main --format markdown > diff.md',
    'npm run diff -- --base HEAD~1 --env prod',
  ],
  wantsJson: (v) => v.format === 'json',
  run({ values: v }, ctx) {
    const format = v.json === true ? 'json' : (v.format ?? 'text');
    if (!FORMATS.includes(format)) {
      throw usageError(`--format ${JSON.stringify(format)}: must be text, markdown or json`);
    }
    const folders = v.env !== undefined ? new Set([checkEnvName(v.env)]) : undefined;
    const base = v.base ?? 'HEAD';
    const repo = openRepository(ctx.cwd);
    const git = repo.git();
    if (base.startsWith('-') || base.trim() === '') {
      throw usageError(`--base ${JSON.stringify(base)}: not a commit in this repository`);
    }
    const ws = repo.workspace();
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
  },
});
