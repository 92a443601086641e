// The render bot's two halves (.github/workflows/pr-render.yml), so that a person's web-editor PR to an
// environment file gets its dist/ without local tools, and the bot cannot become a path around the gates:
//   make <head sha> <bundle>  in a checkout of the DEFAULT branch, without secrets: copy the PR's environments/
//                             in as data (regular files only, never a symlink), render dist/ with this checkout's
//                             synth, and build ONE commit on top of the PR head that changes only dist/, with the
//                             trailer `Guestlist-Action: render`, into a git bundle.
//   check <bundle> <head sha> <branch>
//                             in the job that holds the App token: accept the bundle only when its one commit's
//                             parent is the PR head, every changed path is under dist/, the trailer is there, and
//                             the branch is not the default branch; prints commit=<sha>.
// Nothing here runs the PR's code: its files are read as git blobs, and the only program run is this checkout's.
// Prints key=value lines for $GITHUB_OUTPUT; exit 1 with the reason on refusal, 2 on usage.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const TRAILER = 'Guestlist-Action: render';
const SHA = /^[0-9a-f]{40}$/;
const BRANCH = /^(?!-)(?!.*\.\.)[A-Za-z0-9._/-]{1,200}$/;

/** Why a render commit must be refused, or undefined when it only renders dist/ (pure: no I/O). */
export function refusal(
  changed: readonly string[],
  parents: readonly string[],
  head: string,
  message: string,
) {
  if (parents.length !== 1 || parents[0] !== head)
    return `its parents are [${parents}], not the PR head ${head}`;
  const outside = changed.filter((p) => !p.startsWith('dist/'));
  if (outside.length > 0) return `it changes files outside dist/: ${outside.join(', ')}`;
  if (changed.length === 0) return 'it changes nothing';
  if (!message.trimEnd().split('\n').includes(TRAILER)) return `its message lacks the trailer "${TRAILER}"`;
  return undefined;
}

const git = (cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } }).trim();

/** Writes the PR head's environments/ into the worktree as plain files (refusing links and submodules). */
export function materialize(cwd: string, head: string): void {
  const entries = git(cwd, ['ls-tree', '-r', '-z', '--full-tree', head, '--', 'environments'])
    .split('\0')
    .filter(Boolean);
  rmSync(join(cwd, 'environments'), { recursive: true, force: true });
  mkdirSync(join(cwd, 'environments'), { recursive: true });
  for (const entry of entries) {
    const [meta = '', path = ''] = entry.split('\t');
    const [mode, type, object = ''] = meta.split(' ');
    if (type !== 'blob' || (mode !== '100644' && mode !== '100755')) {
      throw new Error(`${path}: mode ${mode} ${type} is not a regular file; refusing to read it`);
    }
    if (path.split('/').includes('..')) throw new Error(`${path}: refusing a path with ..`);
    const target = join(cwd, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, execFileSync('git', ['cat-file', 'blob', object], { cwd }));
  }
}

/** Builds the render commit on `head` from the worktree's dist/; undefined when dist/ is already right. */
export function commitDist(cwd: string, head: string): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'render-index-'));
  try {
    const env = { GIT_INDEX_FILE: join(dir, 'index') };
    git(cwd, ['read-tree', head], env);
    git(cwd, ['rm', '-r', '--cached', '--quiet', '--ignore-unmatch', '--', 'dist'], env);
    git(cwd, ['add', '--force', '--', 'dist'], env);
    const tree = git(cwd, ['write-tree'], env);
    if (tree === git(cwd, ['rev-parse', `${head}^{tree}`])) return undefined;
    const message = `Render dist/ for the environment files of this pull request\n\n${TRAILER}\n`;
    return git(cwd, ['commit-tree', tree, '-p', head, '-m', message]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The changed paths, parents and message of `commit`, for refusal(). */
function describe(cwd: string, commit: string) {
  const parents = git(cwd, ['rev-list', '--parents', '-n', '1', commit]).split(' ').slice(1);
  const changed = parents[0]
    ? git(cwd, ['diff', '--name-only', '--no-renames', parents[0], commit]).split('\n').filter(Boolean)
    : [];
  return { parents, changed, message: git(cwd, ['log', '-1', '--format=%B', commit]) };
}

export function make(cwd: string, head: string, bundle: string): string {
  materialize(cwd, head);
  execFileSync(process.execPath, ['synth/bin/synth.mjs'], { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  const commit = commitDist(cwd, head);
  if (commit === undefined) return 'changed=false\n';
  const d = describe(cwd, commit);
  const why = refusal(d.changed, d.parents, head, d.message);
  if (why) throw new Error(`render commit refused: ${why}`);
  git(cwd, ['update-ref', 'refs/render/commit', commit]);
  mkdirSync(dirname(bundle), { recursive: true });
  git(cwd, ['bundle', 'create', bundle, 'refs/render/commit', `^${head}`]);
  return `changed=true\ncommit=${commit}\n`;
}

export function check(
  cwd: string,
  bundle: string,
  head: string,
  branch: string,
  defaultBranch: string,
): string {
  if (!BRANCH.test(branch) || branch === defaultBranch) {
    throw new Error(`branch "${branch}" is not a PR branch the bot may push to`);
  }
  git(cwd, ['fetch', '--quiet', '--no-tags', bundle, '+refs/render/commit:refs/render/checked']);
  const commit = git(cwd, ['rev-parse', '--verify', 'refs/render/checked^{commit}']);
  const d = describe(cwd, commit);
  const why = refusal(d.changed, d.parents, head, d.message);
  if (why) throw new Error(`render commit refused: ${why}`);
  return `commit=${commit}\n`;
}

function cli(argv: readonly string[], cwd: string): number {
  const [command, ...args] = argv;
  try {
    if (command === 'make' && args.length === 2 && SHA.test(args[0] ?? '')) {
      process.stdout.write(make(cwd, args[0] as string, resolve(args[1] as string)));
      return 0;
    }
    if (command === 'check' && args.length === 3 && SHA.test(args[1] ?? '')) {
      const [bundle, head, branch] = args as [string, string, string];
      process.stdout.write(check(cwd, resolve(bundle), head, branch, process.env.DEFAULT_BRANCH || 'main'));
      return 0;
    }
  } catch (error) {
    process.stderr.write(`::error::${(error as Error).message.split('\n')[0]}\n`);
    return 1;
  }
  process.stderr.write(
    'usage: render-commit make <head sha> <bundle> | check <bundle> <head sha> <branch>\n',
  );
  return 2;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = cli(process.argv.slice(2), process.cwd());
}
