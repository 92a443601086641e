import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIn } from '../../../test/cli';
import { opsRepo } from '../../../test/ops-repo';
import type { TempRepo } from '../../../test/temp-repo';
import { Git } from '../../domain/git';
import { commitPaths } from '../../ops/git/commit';
import { commitMessage } from '../../ops/git/trailers';

let repo: TempRepo;
beforeAll(() => {
  repo = opsRepo();
});
afterAll(() => repo.cleanup());

async function run(argv: readonly string[]) {
  return runIn(repo.dir, argv);
}

describe('rollback, pin and unpin', () => {
  let original: string;

  it('should roll back to a given tag and pin the environment with the reason', async () => {
    original = repo.read('environments/dev.yaml');
    expect((await run(['bump', 'dev', '--tag', '0.2.0', '--commit'])).code).toBe(0);
    expect((await run(['bump', 'dev', '--tag', '0.3.0', '--commit'])).code).toBe(0);
    const r = await run([
      'rollback',
      'dev',
      '--to',
      '0.2.0',
      '--reason',
      'incident 42: 5xx after 0.3.0',
      '--commit',
    ]);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe(
      'rollback: dev: registry.example.com/guestlist:0.3.0 → registry.example.com/guestlist:0.2.0 (given with --to); pinned',
    );
    expect(repo.read('environments/dev.yaml')).toBe(
      `${original.replace('tag: "0.1.0"', 'tag: "0.2.0"')}pin:\n  reason: "incident 42: 5xx after 0.3.0"\n  since: "2026-03-04T05:06:07Z"\n`,
    );
    expect(repo.git(['log', '-1', '--format=%(trailers:only,unfold)'])).toBe(
      [
        'Guestlist-Environment: dev',
        'Guestlist-Action: rollback',
        'Guestlist-Image: registry.example.com/guestlist:0.2.0',
        'Guestlist-Reason: incident 42: 5xx after 0.3.0',
        'Guestlist-Previous-Image: registry.example.com/guestlist:0.3.0',
      ].join('\n'),
    );
  });

  it('should refuse to bump the pinned environment and change nothing', async () => {
    const before = repo.snapshot();
    const r = await run(['bump', 'dev', '--tag', '0.4.0', '--commit']);
    expect(r).toEqual({
      code: 1,
      out: '',
      err: 'bump: environments/dev.yaml: environment "dev" is pinned since 2026-03-04T05:06:07Z ("incident 42: 5xx after 0.3.0"); bump refuses a pinned environment (run unpin dev first, or pass --force --reason "<why>")',
    });
    expect(repo.snapshot()).toEqual(before);
  });

  it('should list the rollback and pin in history', async () => {
    const r = await run(['history', 'dev', '--json']);
    const [latest] = JSON.parse(r.out).entries;
    expect(latest).toMatchObject({
      action: 'rollback',
      tag: '0.2.0',
      pinned: true,
      reason: 'incident 42: 5xx after 0.3.0',
    });
  });

  it('should let a bump through after unpin, with the pin block gone byte for byte', async () => {
    expect((await run(['pin', 'dev', '--reason', 'again'])).out).toBe(
      'pin: dev is already pinned ("incident 42: 5xx after 0.3.0"); nothing changed',
    );
    const r = await run(['unpin', 'dev', '--commit']);
    expect(r.code).toBe(0);
    expect(repo.read('environments/dev.yaml')).toBe(original.replace('tag: "0.1.0"', 'tag: "0.2.0"'));
    expect(
      repo.git(['log', '-1', '--format=%(trailers:key=Guestlist-Action,valueonly,separator=%x2C)']),
    ).toBe('unpin');
    expect((await run(['bump', 'dev', '--tag', '0.4.0', '--commit'])).code).toBe(0);
    expect(repo.read('environments/dev.yaml')).toContain('tag: "0.4.0"');
  });

  it('should pick the newest earlier image that passed verification from the trailers when --to is absent', async () => {
    // Promotions into staging recorded by their trailers: 0.2.0 passed the gate, 0.3.0 was skipped.
    const git = Git.open(repo.dir);
    const staging = repo.read('environments/staging.yaml');
    for (const [tag, verified] of [
      ['0.2.0', 'passed'],
      ['0.3.0', 'skipped'],
    ] as const) {
      repo.write(
        'environments/staging.yaml',
        staging.replace(/tag: "[^"]+"/, `tag: "${tag}"`).replace(/\n {2}digest: .*/, ''),
      );
      commitPaths(
        git,
        ['environments/staging.yaml'],
        commitMessage(`staging: promote ${tag}`, [], {
          environment: 'staging',
          action: 'promote',
          image: `registry.example.com/guestlist:${tag}`,
          source: 'dev',
          verified,
          ...(verified === 'passed' ? { verifiedRevision: git.head() as string } : {}),
        }),
      );
    }
    const r = await run(['rollback', 'staging', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      status: 'changed',
      image: 'registry.example.com/guestlist:0.2.0',
      evidence: expect.stringMatching(/^promoted from dev through a passed gate \([0-9a-f]{12}\)$/),
    });
    expect(repo.read('environments/staging.yaml')).toContain(
      'pin:\n  reason: rollback from registry.example.com/guestlist:0.3.0 to registry.example.com/guestlist:0.2.0\n',
    );
  });
});

describe('bump --force --reason into a pinned environment', () => {
  let forced: TempRepo;
  beforeAll(() => {
    forced = opsRepo();
  });
  afterAll(() => forced.cleanup());

  it('should bump through the pin, keep the pin, and record the reason in the trailers', async () => {
    const run = (argv: readonly string[]) => runIn(forced.dir, argv);
    expect((await run(['pin', 'dev', '--reason', 'release freeze', '--commit'])).code).toBe(0);
    const pinned = forced.read('environments/dev.yaml');
    const r = await run([
      'bump',
      'dev',
      '--tag',
      '0.2.1',
      '--force',
      '--reason',
      'hotfix for incident 42',
      '--commit',
    ]);
    expect(r.code).toBe(0);
    // Only the tag line changed: the pin block is still there, byte for byte.
    expect(forced.read('environments/dev.yaml')).toBe(pinned.replace(/tag: "[^"]+"/, 'tag: "0.2.1"'));
    expect(forced.read('environments/dev.yaml')).toContain('pin:\n  reason: release freeze\n');
    expect(forced.git(['log', '-1', '--format=%(trailers:only,unfold)'])).toBe(
      [
        'Guestlist-Environment: dev',
        'Guestlist-Action: bump',
        'Guestlist-Image: registry.example.com/guestlist:0.2.1',
        'Guestlist-Reason: hotfix for incident 42',
        'Guestlist-Previous-Image: registry.example.com/guestlist:0.1.0',
      ].join('\n'),
    );
    // The pin still blocks the next bump without --force.
    const next = await run(['bump', 'dev', '--tag', '0.2.2']);
    expect(next.code).toBe(1);
    expect(next.err).toMatch(
      /^bump: environments\/dev\.yaml: environment "dev" is pinned since .* \("release freeze"\)/,
    );
  });
});
