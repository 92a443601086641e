// The render bot writes only dist/, on top of the PR head, and reads the PR's environment files as data only.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check, commitDist, make, materialize, refusal, TRAILER } from './render-commit';

const HEAD = 'a'.repeat(40);
const MSG = `Render\n\n${TRAILER}\n`;

describe('refusal', () => {
  it('should accept one commit on the head that changes only dist/ with the trailer', () => {
    expect(refusal(['dist/dev/deployment.yaml'], [HEAD], HEAD, MSG)).toBeUndefined();
  });

  it.each([
    [['environments/dev.yaml'], [HEAD], MSG, /outside dist\/: environments\/dev.yaml/],
    [['dist/dev/a.yaml', '.github/workflows/ci.yml'], [HEAD], MSG, /outside dist\//],
    [['distx/a'], [HEAD], MSG, /outside dist\//],
    [['dist/dev/a.yaml'], ['b'.repeat(40)], MSG, /not the PR head/],
    [['dist/dev/a.yaml'], [HEAD, 'b'.repeat(40)], MSG, /not the PR head/],
    [['dist/dev/a.yaml'], [HEAD], 'Render\n', /lacks the trailer/],
    [[], [HEAD], MSG, /changes nothing/],
  ])('should refuse %j with parents %j', (changed, parents, message, why) => {
    expect(refusal(changed, parents, HEAD, message)).toMatch(why);
  });
});

describe('materialize, commitDist and check on a real repository', () => {
  const dir = mkdtempSync(join(tmpdir(), 'render-commit-'));
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@t',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@t',
      },
    }).trim();
  const write = (path: string, text: string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  git('init', '--quiet', '--initial-branch=main');
  write('environments/dev.yaml', 'name: dev\n');
  write('dist/dev/a.yaml', 'old\n');
  write('synth/code.ts', 'main\n');
  git('add', '.');
  git('commit', '--quiet', '-m', 'base');
  const base = git('rev-parse', 'HEAD');
  // The PR: a new environment file, its code change, and a stale dist/.
  git('switch', '--quiet', '-c', 'pr');
  write('environments/dev.yaml', 'name: dev\nreplicas: 3\n');
  write('synth/code.ts', 'pr code\n');
  git('commit', '--quiet', '-am', 'pr');
  const head = git('rev-parse', 'HEAD');
  git('switch', '--quiet', 'main');

  it("should copy the PR's environments/ into main's worktree and nothing else", () => {
    materialize(dir, head);
    expect(readFileSync(join(dir, 'environments/dev.yaml'), 'utf8')).toBe('name: dev\nreplicas: 3\n');
    expect(readFileSync(join(dir, 'synth/code.ts'), 'utf8')).toBe('main\n');
  });

  it('should commit only dist/ on top of the PR head, and check should accept it', () => {
    write('dist/dev/a.yaml', 'rendered\n');
    const commit = commitDist(dir, head) as string;
    expect(git('rev-parse', `${commit}^`)).toBe(head);
    expect(git('diff', '--name-only', head, commit)).toBe('dist/dev/a.yaml');
    // The PR's own synth/ change is kept as it was (the commit does not revert it to main's).
    expect(git('show', `${commit}:synth/code.ts`)).toBe('pr code');
    git('update-ref', 'refs/render/commit', commit);
    const bundle = join(dir, '..', `${dir.split('/').pop()}.bundle`);
    git('bundle', 'create', '--quiet', bundle, 'refs/render/commit', `^${head}`);
    expect(check(dir, bundle, head, 'pr', 'main')).toBe(`commit=${commit}\n`);
    expect(() => check(dir, bundle, head, 'main', 'main')).toThrow(/not a PR branch/);
    expect(() => check(dir, bundle, base, 'pr', 'main')).toThrow(/not the PR head/);
    rmSync(bundle);
  });

  it('should make no commit when dist/ is already right', () => {
    write('dist/dev/a.yaml', 'old\n');
    expect(commitDist(dir, head)).toBeUndefined();
  });

  it("should render with the default branch's synth, never the PR's, and bundle a dist/-only commit", () => {
    const fake = (body: string) =>
      `import { readdirSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';\n${body}\n`;
    git('checkout', '--quiet', '--', '.');
    // main's "synth": renders each environment file into dist/<name>/rendered.yaml.
    write(
      'synth/bin/synth.mjs',
      fake(`for (const f of readdirSync('environments')) {
  const name = f.replace(/\\.yaml$/, '');
  mkdirSync('dist/' + name, { recursive: true });
  writeFileSync('dist/' + name + '/rendered.yaml', 'rendered from ' + readFileSync('environments/' + f, 'utf8'));
}`),
    );
    git('add', '.');
    git('commit', '--quiet', '-m', 'main synth');
    // The PR's "synth" would write outside dist/; it must never run.
    git('switch', '--quiet', '-c', 'pr2');
    write('environments/dev.yaml', 'name: dev\nreplicas: 5\n');
    write('synth/bin/synth.mjs', fake(`writeFileSync('PWNED', 'x');`));
    git('commit', '--quiet', '-am', 'pr2');
    const prHead = git('rev-parse', 'HEAD');
    git('switch', '--quiet', 'main');
    const bundle = join(dir, '..', `${dir.split('/').pop()}-make.bundle`);
    const out = make(dir, prHead, bundle);
    expect(out).toMatch(/^changed=true\ncommit=[0-9a-f]{40}\n$/);
    const commit = out.split('commit=')[1]?.trim() as string;
    expect(git('diff', '--name-only', prHead, commit)).toBe('dist/dev/rendered.yaml');
    expect(git('show', `${commit}:dist/dev/rendered.yaml`)).toBe('rendered from name: dev\nreplicas: 5');
    expect(() => readFileSync(join(dir, 'PWNED'))).toThrow();
    expect(check(dir, bundle, prHead, 'pr2', 'main')).toBe(`commit=${commit}\n`);
    rmSync(bundle);
  });

  it('should refuse a symlink in the PR environments/', () => {
    git('checkout', '--quiet', '--', '.');
    git('switch', '--quiet', 'pr');
    symlinkSync('/etc/passwd', join(dir, 'environments', 'evil.yaml'));
    git('add', 'environments/evil.yaml');
    git('commit', '--quiet', '-m', 'link');
    const linked = git('rev-parse', 'HEAD');
    git('switch', '--quiet', 'main');
    expect(() => materialize(dir, linked)).toThrow(/mode 120000 blob is not a regular file/);
  });
});
