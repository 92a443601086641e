import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIn } from '../../../test/cli';
import { opsRepo } from '../../../test/ops-repo';
import type { TempRepo } from '../../../test/temp-repo';

const DNS = 'must be a DNS label: lowercase letters, digits and "-", starting with a letter, 1-40 characters';
const ZERO = `sha256:${'0'.repeat(64)}`;
let repo: TempRepo;
beforeAll(() => {
  repo = opsRepo();
});
afterAll(() => repo.cleanup());

/** Runs a command and returns its exit code and stderr, after proving that nothing changed. */
async function runUnchanged(argv: readonly string[]) {
  const files = repo.snapshot();
  const head = repo.git(['rev-parse', 'HEAD']);
  const status = repo.git(['status', '--porcelain']);
  const r = await runIn(repo.dir, argv);
  expect(repo.snapshot()).toEqual(files);
  expect(repo.git(['rev-parse', 'HEAD'])).toBe(head);
  expect(repo.git(['status', '--porcelain'])).toBe(status);
  expect(r.out).toBe('');
  return { code: r.code, err: r.err.split('\n')[0] };
}

describe('bad input changes nothing', () => {
  it.each([
    [
      ['bump', 'nope', '--tag', '0.2.0'],
      2,
      'bump: environment "nope": no such environment (environments: dev, prod, staging)',
    ],
    [
      ['bump', 'devv', '--tag', '0.2.0'],
      2,
      'bump: environment "devv": no such environment; did you mean "dev"? (environments: dev, prod, staging)',
    ],
    [['bump', '../x', '--tag', '0.2.0'], 2, `bump: environment "../x": ${DNS}`],
    [['bump', '/etc', '--tag', '0.2.0'], 2, `bump: environment "/etc": ${DNS}`],
    [['bump', 'a/b', '--tag', '0.2.0'], 2, `bump: environment "a/b": ${DNS}`],
    [['bump', 'Dev', '--tag', '0.2.0'], 2, `bump: environment "Dev": ${DNS}`],
    [['bump', 'a'.repeat(41), '--tag', '0.2.0'], 2, `bump: environment "${'a'.repeat(41)}": ${DNS}`],
    [['env', 'new', '../x', '--from', 'dev'], 2, `env new: new environment "../x": ${DNS}`],
    [['history', '../../etc/passwd'], 2, `history: environment "../../etc/passwd": ${DNS}`],
    [
      ['bump', 'dev', '--tag', 'bad tag!'],
      2,
      'bump: --tag "bad tag!": must be an image tag (letters, digits, "_", "." and "-", not starting with "." or "-", at most 128 characters)',
    ],
    [
      ['bump', 'dev', '--tag', 'latest'],
      1,
      'bump: environments/dev.yaml: image tag "latest" is never allowed (pin a version; the cluster would never notice a new image)',
    ],
    [
      ['bump', 'dev', '--tag', 'nightly'],
      1,
      /^bump: environments\/dev\.yaml: image tag "nightly" does not match imagePolicy\.allowedTags \/.+\/$/,
    ],
    [
      ['bump', 'dev', '--tag', '0.2.0', '--digest', 'sha256:abc'],
      2,
      'bump: --digest "sha256:abc": must be "sha256:" followed by 64 lowercase hex digits',
    ],
    [
      ['bump', 'dev', '--tag', '0.2.0', '--digest', `sha256:${'deadbeef'.repeat(8)}`],
      2,
      `bump: --digest "sha256:${'deadbeef'.repeat(8)}": a placeholder (all zeros, a repeated pattern or under 8 distinct hex digits), never a real image`,
    ],
    [
      ['bump', 'dev', '--tag', '0.2.0', '--digest', ZERO],
      2,
      `bump: --digest "${ZERO}": a placeholder (all zeros, a repeated pattern or under 8 distinct hex digits), never a real image`,
    ],
    [
      ['bump', 'prod', '--tag', '0.2.0'],
      1,
      'bump: environments/prod.yaml: image registry.example.com/guestlist:0.2.0 has no digest, but imagePolicy.requireDigest is true (pass --digest sha256:<64 hex>)',
    ],
    [['bump', 'dev'], 2, 'bump: --tag: is required (the new image tag)'],
    [
      ['bump', 'dev', '--tag', '0.2.0', '--push'],
      2,
      'bump: --push: needs --commit (only a commit can be pushed)',
    ],
    [
      ['bump', 'dev', '--tag', '0.2.0', '--force'],
      2,
      'bump: --force: needs --reason "<why>" (recorded in the commit trailers)',
    ],
    [
      ['bump', 'dev', '--tag', '0.2.0', '--comit'],
      2,
      'bump: unknown option --comit; did you mean --commit? (options: --tag, --digest, --force, --reason, --commit, --push, --retries, --json, --help)',
    ],
    [['env'], 2, 'env: missing action (expected new or remove)'],
    [
      ['pin', 'dev'],
      2,
      'pin: --reason: is required (why the environment is pinned; recorded in the file and the trailers)',
    ],
    [
      ['pin', 'dev', '--reason', 'two\nlines'],
      2,
      'pin: --reason "two\\nlines": must be one line without control characters',
    ],
    [
      ['promote', 'dev', 'prod'],
      1,
      'promote: dev → prod: prod is promoted from "staging" (promotion.from in environments/prod.yaml), not from "dev"',
    ],
    [
      ['promote', 'prod', 'dev'],
      1,
      'promote: prod → dev: environments/dev.yaml declares no promotion.from; promote only moves images along the declared chain',
    ],
    [
      // No kubeconfig: waiting would not help; the refusal says how to give promote access to the cluster.
      ['promote', 'dev', 'staging'],
      1,
      /^promote: dev → staging: cannot verify dev live at registry\.example\.com\/guestlist:0\.1\.0: no kubeconfig: .*; give promote read access to the cluster with --kubeconfig <file>, --context <ctx> or KUBECONFIG .*, or pass --skip-verify --reason "<why>"$/,
    ],
    [
      // The same missing kubeconfig is a refusal (exit 1, not a usage error) that says how to give access.
      ['status'],
      1,
      /^status: no kubeconfig: --kubeconfig not given, KUBECONFIG unset, .* does not exist, and this is not a pod with a service account token \(.*\); give status read access to the cluster with --kubeconfig <file>, --context <ctx> or KUBECONFIG \(npm run status -- --rbac <subject> prints the read-only RBAC\)$/,
    ],
    [
      ['verify', 'dev'],
      1,
      /^verify: no kubeconfig: --kubeconfig not given, .*; give verify read access to the cluster with --kubeconfig <file>, --context <ctx> or KUBECONFIG \(npm run status -- --rbac <subject> prints the read-only RBAC\)$/,
    ],
    [
      ['promote', 'dev', 'staging', '--skip-verify'],
      2,
      'promote: --skip-verify: needs --reason "<why>" (recorded in the commit trailers)',
    ],
    [
      ['rollback', 'dev', '--to', 'not a ref'],
      2,
      'rollback: --to "not a ref": must be an image tag (letters, digits, "_", "." and "-", not starting with "." or "-", at most 128 characters)',
    ],
    [
      ['rollback', 'dev'],
      1,
      'rollback: no earlier image of dev passed verification according to the commit trailers; name one with --to <image or commit>',
    ],
    [
      ['env', 'new', 'dev', '--from', 'staging'],
      1,
      'env new: environments/dev.yaml already exists; pick another name',
    ],
    [
      ['env', 'new', 'alice', '--from', 'nope'],
      2,
      'env new: source environment "nope": no such environment (environments: dev, prod, staging)',
    ],
    [
      ['env', 'remove', 'dev'],
      1,
      'env remove: staging is promoted from dev (promotion.from in environments/staging.yaml); change that first',
    ],
    [['env', 'rename', 'dev'], 2, 'env: action "rename": unknown action (expected new or remove)'],
    [
      ['env', 'nwe', 'alice'],
      2,
      'env: action "nwe": unknown action; did you mean "new"? (expected new or remove)',
    ],
    [
      ['bump', 'dev', '--tag', '0.2.0', '--tag', '0.3.0'],
      2,
      'bump: --tag given twice ("0.2.0", then "0.3.0"); give it once',
    ],
    [['bump', 'dev', '--tag'], 2, 'bump: --tag: needs a value <tag>'],
    [['bump', 'dev', '--tag', '0.2.0', '--json=yes'], 2, 'bump: --json takes no value (got "yes")'],
    [
      ['env', 'new', 'argocd', '--from', 'dev'],
      2,
      'env new: new environment "argocd": reserved for dist/argocd/; pick another name',
    ],
    [['env', 'remove', 'alice', '--from', 'dev'], 2, 'env remove: --from: only applies to env new'],
    [
      ['rollback', 'dev', '--to', '0.1.0'],
      1,
      'rollback: dev is already at registry.example.com/guestlist:0.1.0 (given with --to); rollback moves to an earlier image; to hold dev where it is, run pin dev --reason "<why>"',
    ],
    [['history'], 2, 'history: missing <env>; usage: npm run history -- <env> [--limit N] [--json]'],
    [['diff', '--base', 'no-such-ref'], 2, 'diff: --base "no-such-ref": not a commit in this repository'],
    [['diff', '--format', 'html'], 2, 'diff: --format "html": must be text, markdown or json'],
  ] as const)('should refuse %j with exit %i', async (argv, code, message) => {
    const r = await runUnchanged(argv);
    expect(r.code).toBe(code);
    if (typeof message === 'string') expect(r.err).toBe(message);
    else expect(r.err).toMatch(message);
  });

  it('should name a .yml environment file as it is named on disk when refusing an image', async () => {
    repo.git(['mv', 'environments/staging.yaml', 'environments/staging.yml']);
    repo.git(['commit', '-q', '-m', 'staging as .yml']);
    try {
      const r = await runUnchanged(['bump', 'staging', '--tag', 'latest']);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^bump: environments\/staging\.yml: image tag "latest" is never allowed /);
    } finally {
      repo.git(['mv', 'environments/staging.yml', 'environments/staging.yaml']);
      repo.git(['commit', '-q', '-m', 'staging back to .yaml']);
    }
  });

  it('should refuse a bump when another environment file is corrupt, naming its line', async () => {
    const good = repo.read('environments/staging.yaml');
    repo.write('environments/staging.yaml', `${good}image: [\n`);
    const r = await runUnchanged(['bump', 'dev', '--tag', '0.2.0']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^environments\/staging\.yaml:\d+:\d+ \(yaml\): /);
    repo.write('environments/staging.yaml', good);
  });

  it('should refuse a bump of a schema-invalid file with the file, line and key', async () => {
    const good = repo.read('environments/dev.yaml');
    repo.write('environments/dev.yaml', good.replace('logLevel: debug', 'logLevel: loud'));
    const r = await runUnchanged(['bump', 'dev', '--tag', '0.2.0']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^environments\/dev\.yaml:\d+:\d+ logLevel: "loud" must be one of: /);
    repo.write('environments/dev.yaml', good);
  });

  it('should refuse --commit when the environment file has someone else’s uncommitted edit', async () => {
    const good = repo.read('environments/dev.yaml');
    repo.write('environments/dev.yaml', `${good}# my unfinished edit\n`);
    const r = await runUnchanged(['bump', 'dev', '--tag', '0.2.0', '--commit']);
    expect(r).toEqual({
      code: 1,
      err: 'bump: --commit: environments/dev.yaml has uncommitted changes; commit or discard them first (the ops commit would include them)',
    });
    repo.write('environments/dev.yaml', good);
  });
});
