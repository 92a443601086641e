// The delivery path of docs/delivery.md ("How a change reaches production"), step by step, with the same CLI
// commands the workflows run: release.yml/bump.yml (bump), promote.yml (verify, promote on promote/<to>,
// the force-with-lease push), GitHub's squash merge, a person's rollback, and two runners racing. Real git
// (a bare origin and one fresh clone per runner), the real CLI, and a local Kubernetes API server that
// answers as Argo CD would after a sync. What this cannot cover (GitHub, ECR, Trivy, EKS) is listed there.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type CliResult, GitSandbox, git, REPO_ROOT, runCli } from './git-sandbox';
import { CONTEXT, SimulatedArgoCd } from './simulated-argocd';

const REPOSITORY = 'registry.example.com/guestlist';
const PERSONAL_TARGET = join(REPO_ROOT, '.github', 'scripts', 'personal-target.ts');
/** The files whose change on main starts project.yml (the administrator-approved apply of the AppProject). */
const PROJECT_PATHS: string[] = parse(readFileSync(join(REPO_ROOT, '.github/workflows/project.yml'), 'utf8'))
  .on.push.paths;
/** Whether a changed path starts project.yml (GitHub's path filter: `*` matches within one folder). */
const startsProject = (path: string) =>
  PROJECT_PATHS.some((glob) =>
    new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '[^/]*')}$`).test(path),
  );
/** A digest as a registry computes one (sha256 of some bytes); placeholder-looking digests are refused. */
const digest = (build: string) => `sha256:${createHash('sha256').update(build).digest('hex')}`;
const RELEASE_1 = { tag: 'sha-1a2b3c4', digest: digest('release 1') };
const RELEASE_2 = { tag: 'sha-2b3c4d5', digest: digest('release 2') };
const RELEASE_3 = { tag: 'sha-3c4d5e6', digest: digest('release 3') };
const ref = (r: { tag: string; digest: string }) => `${REPOSITORY}:${r.tag}@${r.digest}`;

const sandbox = new GitSandbox();
let argo: SimulatedArgoCd;
let env: NodeJS.ProcessEnv;

// biome-ignore lint/suspicious/noExplicitAny: the CLI's --json output, checked field by field
const json = (r: CliResult): any => {
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout);
};
const cli = (dir: string, ...args: string[]) => runCli(dir, env, args);
const imageOf = (path: string, at = 'main') => parse(sandbox.show(path, at)).image;
const distImage = (e: string, at = 'main') =>
  parse(sandbox.show(`dist/${e}/deployment-guestlist.yaml`, at)).spec.template.spec.containers[0].image;
const history = async (e: string) =>
  json(await cli(sandbox.clone('person', 'Dana'), 'history', e, '--json')).entries;

/** bump.yml: `bump dev --tag --digest --commit --push --retries 5` in a fresh runner clone. */
const releaseBump = (runner: string, r: { tag: string; digest: string }) =>
  cli(
    sandbox.clone(runner),
    'bump',
    'dev',
    '--tag',
    r.tag,
    '--digest',
    r.digest,
    '--commit',
    '--push',
    '--retries',
    '5',
    '--json',
  );

/**
 * promote.yml: verify, then promote on promote/<to> and the force-with-lease push of that branch. `promote`
 * runs the same verification as its gate, so `waitFirst: false` (later rounds) skips only the waiting step.
 */
async function promoteOnBranch(from: string, to: string, waitFirst = true) {
  const dir = sandbox.clone(`promote-${to}`);
  if (waitFirst) {
    const verified = await cli(dir, 'verify', from, '--timeout', '30s', '--context', CONTEXT);
    expect([verified.code, verified.stderr]).toEqual([0, expect.any(String)]);
    // No warning of Node's (a deprecation inside the Kubernetes client) between verify's own lines.
    expect(verified.stderr).not.toMatch(/\(node:\d+\)|DeprecationWarning/);
  }
  git(dir, 'switch', '--quiet', '-C', `promote/${to}`);
  const out = json(
    await cli(dir, 'promote', from, to, '--format', 'markdown', '--commit', '--context', CONTEXT, '--json'),
  );
  git(
    dir,
    'push',
    '--quiet',
    `--force-with-lease=refs/heads/promote/${to}`,
    'origin',
    `HEAD:refs/heads/promote/${to}`,
  );
  return out;
}

/** A PR merged, Argo CD synced, and `verify` passing for `e` (unless a later promote's gate checks it). */
async function mergeAndVerify(branch: string, e: string, check = true) {
  const merged = sandbox.squashMerge(branch);
  argo.sync(sandbox, e);
  if (!check) return merged;
  const verified = await cli(
    sandbox.clone('verifier'),
    'verify',
    e,
    '--timeout',
    '30s',
    '--context',
    CONTEXT,
  );
  expect([verified.code, verified.stderr]).toEqual([0, expect.any(String)]);
  return merged;
}

beforeAll(async () => {
  const { GIT_DIR: _d, GIT_WORK_TREE: _w, GIT_INDEX_FILE: _i, ...rest } = process.env;
  argo = await SimulatedArgoCd.start(sandbox.base);
  env = { ...rest, KUBECONFIG: argo.kubeconfig, SYNTH_TIMINGS: '' };
  await sandbox.seed(env);
  // The cluster runs what the seed commit deploys, everywhere.
  for (const e of ['dev', 'staging', 'prod']) argo.sync(sandbox, e);
}, 60_000);

afterAll(async () => {
  await argo?.stop();
  sandbox.remove();
});

describe.sequential('delivery: merge → dev → staging → prod → rollback', { timeout: 60_000 }, () => {
  let devVerifiedAt = '';

  it('step 1: should bump dev to the released image, touching only dev (release.yml → bump.yml)', async () => {
    const before = parse(sandbox.show('environments/dev.yaml'));
    const out = json(await releaseBump('runner-1', RELEASE_1));
    expect(out).toMatchObject({ status: 'changed', pushed: true });
    const head = sandbox.head();
    expect(
      sandbox.changed(head).every((p) => p === 'environments/dev.yaml' || p.startsWith('dist/dev/')),
    ).toBe(true);
    expect(sandbox.changed(head)).toEqual(
      expect.arrayContaining(['environments/dev.yaml', 'dist/dev/deployment-guestlist.yaml']),
    );
    expect(parse(sandbox.show('environments/dev.yaml'))).toEqual({
      ...before,
      image: { ...before.image, ...RELEASE_1 },
    });
    expect(distImage('dev')).toBe(ref(RELEASE_1));
    expect(sandbox.trailers(head)).toMatchObject({
      'Guestlist-Environment': 'dev',
      'Guestlist-Action': 'bump',
      'Guestlist-Image': ref(RELEASE_1),
      'Guestlist-Digest': RELEASE_1.digest,
      'Guestlist-Previous-Image': `${REPOSITORY}:0.1.0`,
    });
    expect((await history('dev'))[0]).toMatchObject({ commit: head, action: 'bump' });
  });

  it('step 2: should not verify dev while Argo CD still runs the old revision', async () => {
    const early = await cli(
      sandbox.clone('verifier'),
      'verify',
      'dev',
      '--timeout',
      '2s',
      '--context',
      CONTEXT,
    );
    expect(early.code).toBe(1);
  });

  it('step 3: should verify dev once synced and open the staging PR on promote/staging (promote.yml)', async () => {
    devVerifiedAt = argo.sync(sandbox, 'dev').revision;
    const out = await promoteOnBranch('dev', 'staging');
    expect(out).toMatchObject({
      status: 'changed',
      title: `promote dev → staging: ${RELEASE_1.tag}`,
      verified: 'passed',
      verifiedRevision: devVerifiedAt,
    });
    expect(out.body).toContain(`passed: dev verified live at ${devVerifiedAt}`);
    expect(out.body).toContain('Rendered diff');
    // The PR branch is one commit on main; main itself is untouched until the merge.
    expect(git(sandbox.origin, 'rev-list', '--count', 'main..promote/staging')).toBe('1');
    expect(imageOf('environments/staging.yaml')).not.toMatchObject(RELEASE_1);
    expect(sandbox.trailers('promote/staging')).toMatchObject({
      'Guestlist-Environment': 'staging',
      'Guestlist-Action': 'promote',
      'Guestlist-Source': 'dev',
      'Guestlist-Image': ref(RELEASE_1),
      'Guestlist-Verified': 'passed',
      'Guestlist-Verified-Revision': devVerifiedAt,
    });
  });

  it('step 4: should rebuild promote/staging on a re-run, so the open PR is updated and still one commit', async () => {
    const first = sandbox.head('promote/staging');
    // main moves on while the PR is open (someone merges an unrelated change).
    const other = sandbox.clone('unrelated-change', 'someone');
    writeFileSync(join(other, 'NOTES.md'), 'an unrelated change\n');
    git(other, 'add', 'NOTES.md');
    git(other, 'commit', '--quiet', '-m', 'docs: notes');
    git(other, 'push', '--quiet', 'origin', 'main');
    await promoteOnBranch('dev', 'staging', false);
    // Rebuilt on the new main (not stacked on the old branch): still one commit, its parent is main.
    expect(sandbox.head('promote/staging')).not.toBe(first);
    expect(git(sandbox.origin, 'rev-parse', 'promote/staging^')).toBe(sandbox.head());
    expect(git(sandbox.origin, 'rev-list', '--count', 'main..promote/staging')).toBe('1');
  });

  it('step 5: should keep the trailers through the squash merge, and verify staging', async () => {
    const merged = await mergeAndVerify('promote/staging', 'staging');
    expect(imageOf('environments/staging.yaml')).toMatchObject(RELEASE_1);
    expect(distImage('staging')).toBe(ref(RELEASE_1));
    expect(sandbox.trailers(merged)).toMatchObject({
      'Guestlist-Action': 'promote',
      'Guestlist-Verified': 'passed',
    });
    expect((await history('staging'))[0]).toMatchObject({
      commit: merged,
      action: 'promote',
      verified: 'passed',
    });
  });

  it('step 6: should promote staging to prod through promote/prod and verify prod', async () => {
    const out = await promoteOnBranch('staging', 'prod');
    expect(out).toMatchObject({ status: 'changed', verified: 'passed', image: ref(RELEASE_1) });
    const merged = await mergeAndVerify('promote/prod', 'prod');
    expect(imageOf('environments/prod.yaml')).toMatchObject(RELEASE_1);
    expect(distImage('prod')).toBe(ref(RELEASE_1));
    expect(sandbox.trailers(merged)).toMatchObject({
      'Guestlist-Environment': 'prod',
      'Guestlist-Source': 'staging',
    });
  });

  it('step 7: should ship a second release to prod the same way', async () => {
    expect(json(await releaseBump('runner-2', RELEASE_2)).status).toBe('changed');
    argo.sync(sandbox, 'dev');
    expect((await promoteOnBranch('dev', 'staging', false)).verified).toBe('passed');
    await mergeAndVerify('promote/staging', 'staging', false);
    expect((await promoteOnBranch('staging', 'prod', false)).verified).toBe('passed');
    await mergeAndVerify('promote/prod', 'prod', false);
    expect(distImage('prod')).toBe(ref(RELEASE_2));
  });

  it('step 8: should roll prod back to the last verified image and pin it', async () => {
    const person = sandbox.clone('person', 'Dana');
    const reason = 'error rate up after sha-2b3c4d5';
    const out = await cli(person, 'rollback', 'prod', '--reason', reason, '--commit', '--push');
    expect([out.code, out.stderr]).toEqual([0, expect.any(String)]);
    const head = sandbox.head();
    expect(imageOf('environments/prod.yaml')).toMatchObject(RELEASE_1);
    expect(parse(sandbox.show('environments/prod.yaml')).pin).toMatchObject({ reason });
    expect(distImage('prod')).toBe(ref(RELEASE_1));
    expect(sandbox.trailers(head)).toMatchObject({
      'Guestlist-Environment': 'prod',
      'Guestlist-Action': 'rollback',
      'Guestlist-Image': ref(RELEASE_1),
      'Guestlist-Previous-Image': ref(RELEASE_2),
      'Guestlist-Reason': reason,
    });
    expect((await history('prod'))[0]).toMatchObject({ commit: head, action: 'rollback', pinned: true });
    argo.sync(sandbox, 'prod');
    expect(
      (await cli(sandbox.clone('verifier'), 'verify', 'prod', '--timeout', '30s', '--context', CONTEXT)).code,
    ).toBe(0);
  });

  it('step 9: should bump dev on the next release without touching the pinned prod', async () => {
    const prodBefore = sandbox.head();
    expect(json(await releaseBump('runner-3', RELEASE_3)).status).toBe('changed');
    expect(
      git(
        sandbox.origin,
        'diff',
        '--name-only',
        prodBefore,
        'main',
        '--',
        'environments/prod.yaml',
        'dist/prod',
      ),
    ).toBe('');
    expect(imageOf('environments/dev.yaml')).toMatchObject(RELEASE_3);
    // While pinned, promotions into prod are refused and nothing is committed.
    const dir = sandbox.clone('promote-prod');
    const refused = await cli(dir, 'promote', 'staging', 'prod', '--commit', '--context', CONTEXT);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^promote: .*pinned/m);
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(sandbox.head());
  });
});

describe.sequential('delivery: two runners bump dev at the same moment', { timeout: 60_000 }, () => {
  it('step 10: should land one bump and report the other as already there for the same image', async () => {
    const same = { tag: 'sha-4d5e6f7', digest: digest('race same') };
    const before = sandbox.count();
    const a = sandbox.clone('race-a');
    const b = sandbox.clone('race-b');
    const args = [
      'bump',
      'dev',
      '--tag',
      same.tag,
      '--digest',
      same.digest,
      '--commit',
      '--push',
      '--retries',
      '5',
      '--json',
    ];
    const outs = (await Promise.all([cli(a, ...args), cli(b, ...args)])).map(json);
    // Either the second push was rejected and the re-applied bump found dev already there, or both runners
    // made the byte-identical commit (same parent, tree, identity, second and message) and git stored it once.
    const statuses = outs.map((o) => o.status).sort();
    if (statuses[0] === 'already') expect(statuses).toEqual(['already', 'changed']);
    else expect([statuses, outs[0].commit]).toEqual([['changed', 'changed'], outs[1].commit]);
    expect(sandbox.count()).toBe(before + 1);
    expect(imageOf('environments/dev.yaml')).toMatchObject(same);
  });

  it('step 10: should land both bumps of different images, the later one on top', async () => {
    const five = { tag: 'sha-5e6f708', digest: digest('race five') };
    const six = { tag: 'sha-6f70819', digest: digest('race six') };
    const before = sandbox.count();
    const c = sandbox.clone('race-c');
    const d = sandbox.clone('race-d');
    const bump = (dir: string, r: typeof five) =>
      cli(
        dir,
        'bump',
        'dev',
        '--tag',
        r.tag,
        '--digest',
        r.digest,
        '--commit',
        '--push',
        '--retries',
        '5',
        '--json',
      );
    const outs = (await Promise.all([bump(c, five), bump(d, six)])).map(json);
    expect(outs.map((o) => [o.status, o.pushed])).toEqual([
      ['changed', true],
      ['changed', true],
    ]);
    expect(sandbox.count()).toBe(before + 2);
    const last = sandbox.trailers(sandbox.head())['Guestlist-Image'];
    expect([ref(five), ref(six)]).toContain(last);
    expect(distImage('dev')).toBe(last);
    const entries = await history('dev');
    expect(entries.slice(0, 2).map((e: { action: string }) => e.action)).toEqual(['bump', 'bump']);
  });
});

describe.sequential('delivery: a personal environment (personal.yml)', { timeout: 60_000 }, () => {
  it('step 11: should create dana from dev, resolve dana-feature-* to it, and bump only dana', async () => {
    const person = sandbox.clone('person', 'Dana');
    const beforeCreate = sandbox.head();
    const created = await cli(person, 'env', 'new', 'dana', '--from', 'dev', '--commit');
    expect([created.code, created.stderr]).toEqual([0, expect.any(String)]);
    // Feature builds are tagged <name>-feature-<7>, which the default imagePolicy does not allow.
    appendFileSync(
      join(person, 'environments/dana.yaml'),
      "imagePolicy:\n  allowedTags: '^([0-9]+\\.[0-9]+\\.[0-9]+|sha-[0-9a-f]{7,40}|dana-feature-[0-9a-f]{7})$'\n",
    );
    expect((await cli(person)).code).toBe(0);
    git(person, 'commit', '--quiet', '-am', 'dana: allow feature-branch tags');
    git(person, 'push', '--quiet', 'origin', 'main');
    // dana gets her own project (exactly guestlist-dana): the merge starts project.yml, which applies it once a
    // platform owner approves; no other environment's project changes.
    const changed = (from: string) => git(sandbox.origin, 'diff', '--name-only', from, 'main').split('\n');
    expect(changed(beforeCreate)).toContain('dist/argocd/application-guestlist-dana.yaml');
    expect(changed(beforeCreate).filter(startsProject)).toEqual([
      'dist/argocd/appproject-guestlist-dana.yaml',
    ]);

    // personal.yml's resolve job, on main's environment files.
    const resolver = sandbox.clone('personal-resolve');
    const target = spawnSync(
      process.execPath,
      ['--import', 'tsx', PERSONAL_TARGET, 'dana-feature-login', join(resolver, 'environments')],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );
    expect([target.status, target.stdout]).toEqual([0, 'environment=dana\ntag-prefix=dana-feature-\n']);

    const before = sandbox.head();
    const feature = { tag: 'dana-feature-7a8b9c0', digest: digest('dana login') };
    const out = json(
      await cli(
        sandbox.clone('runner-personal'),
        'bump',
        'dana',
        '--tag',
        feature.tag,
        '--digest',
        feature.digest,
        '--commit',
        '--push',
        '--retries',
        '5',
        '--json',
      ),
    );
    expect(out).toMatchObject({ status: 'changed', pushed: true });
    expect(
      git(sandbox.origin, 'diff', '--name-only', before, 'main')
        .split('\n')
        .every((p) => p === 'environments/dana.yaml' || p.startsWith('dist/dana/')),
    ).toBe(true);
    expect(distImage('dana')).toBe(ref(feature));
    // A bump never changes the project: project.yml does not run for it.
    expect(changed(before).filter(startsProject)).toEqual([]);
    expect(sandbox.trailers(sandbox.head())).toMatchObject({
      'Guestlist-Environment': 'dana',
      'Guestlist-Action': 'bump',
    });
  });
});

describe.sequential('delivery: the PR diff comment (pr-diff.yml)', { timeout: 60_000 }, () => {
  it('step 12: should render the markdown diff of a PR merge commit against its first parent in a depth-2 checkout', async () => {
    // A person's PR raises staging's replicas; GitHub tests the merge commit refs/pull/N/merge.
    const person = sandbox.clone('pr-author', 'Dana');
    git(person, 'switch', '--quiet', '-c', 'raise-staging');
    const file = join(person, 'environments/staging.yaml');
    appendFileSync(file, 'autoscaling:\n  minReplicas: 3\n  maxReplicas: 6\n');
    expect((await cli(person)).code).toBe(0);
    git(person, 'commit', '--quiet', '-am', 'staging: 3 to 6 replicas');
    git(person, 'switch', '--quiet', 'main');
    git(person, 'merge', '--quiet', '--no-ff', '-m', 'Merge raise-staging into main', 'raise-staging');
    git(person, 'push', '--quiet', 'origin', 'HEAD:refs/pull/1/merge');

    // actions/checkout with fetch-depth 2 on the merge ref, then the workflow's diff step.
    const runner = join(sandbox.base, 'pr-diff-runner');
    git(
      sandbox.base,
      'clone',
      '--quiet',
      '--depth',
      '2',
      '--branch',
      'main',
      `file://${sandbox.origin}`,
      runner,
    );
    git(runner, 'fetch', '--quiet', '--depth', '2', 'origin', 'refs/pull/1/merge');
    git(runner, 'checkout', '--quiet', '--detach', 'FETCH_HEAD');
    const out = await cli(runner, 'diff', '--base', 'HEAD^1', '--format', 'markdown');
    expect([out.code, out.stderr]).toEqual([0, '']);
    expect(out.stdout).toMatch(/^### Rendered diff: `HEAD\^1`/);
    expect(out.stdout).toContain('staging');
    expect(out.stdout).toContain('spec.minReplicas: 2 → 3');
    expect(out.stdout).toContain('spec.maxReplicas: 4 → 6');
    expect(out.stdout).not.toContain('dana');
  });
});
