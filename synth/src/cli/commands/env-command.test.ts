import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runIn } from '../../../test/cli';
import { opsRepo } from '../../../test/ops-repo';
import type { TempRepo } from '../../../test/temp-repo';

let repo: TempRepo;
beforeAll(() => {
  repo = opsRepo();
});
afterAll(() => repo.cleanup());

async function run(argv: readonly string[]) {
  return runIn(repo.dir, argv);
}

describe('env new and env remove', () => {
  it('should create a personal environment from dev with its own namespace, table and host, rendered and committed', async () => {
    const dev = repo.read('environments/dev.yaml');
    const r = await run(['env', 'new', 'alice', '--from', 'dev', '--commit']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toMatch(
      /^env new: alice: created from dev at registry\.example\.com\/guestlist:\S+$/,
    );
    const alice = repo.read('environments/alice.yaml');
    expect(alice.split('\n').slice(0, 3)).toEqual([
      '# yaml-language-server: $schema=./schema.json',
      '# Environment "alice", created from dev by `npm run env -- new alice --from dev`.',
      'name: alice',
    ]);
    // The same settings as dev, but its own name and host (namespace and table follow from the name).
    const expected = parse(dev);
    expected.name = 'alice';
    expected.ingress.host = expected.ingress.host.replace('.dev.', '.alice.');
    expect(parse(alice)).toEqual(expected);
    expect(expected.namespace).toBeUndefined();
    // dev's comments below its header are kept.
    const comments = dev
      .split('\n')
      .slice(2)
      .filter((l) => l.trim().startsWith('#'));
    for (const comment of comments) expect(alice).toContain(comment);
    const committed = repo.git(['show', '--name-status', '--format=', 'HEAD']).split('\n');
    expect(committed).toContain('A\tenvironments/alice.yaml');
    expect(committed).toContain('A\tdist/alice/deployment-guestlist.yaml');
    expect(committed).toContain('A\tdist/argocd/application-guestlist-alice.yaml');
    // Its own Argo CD project (exactly guestlist-alice), for an administrator to apply; no other project changes.
    expect(committed.filter((l) => l.includes('appproject'))).toEqual([
      'A\tdist/argocd/appproject-guestlist-alice.yaml',
    ]);
    expect(repo.read('dist/alice/namespace-guestlist-alice.yaml')).toContain('name: guestlist-alice');
    expect(repo.read('dist/alice/configmap-guestlist.yaml')).toContain('DDB_TABLE: GuestList-alice');
    expect(repo.git(['log', '-1', '--format=%(trailers:only,unfold)'])).toBe(
      [
        'Guestlist-Environment: alice',
        'Guestlist-Action: env-new',
        'Guestlist-Image: registry.example.com/guestlist:0.1.0',
        'Guestlist-Source: dev',
      ].join('\n'),
    );
    expect(repo.git(['status', '--porcelain'])).toBe('');
  });

  it('should remove it again: file, dist folder and Argo CD Application, in one commit', async () => {
    const r = await run(['env', 'remove', 'alice', '--commit']);
    expect(r.code).toBe(0);
    // What it deleted is "removed", not "wrote"; only dist/argocd (one Application fewer) is written.
    const lines = r.out.split('\n');
    expect(lines).toContain('  removed environments/alice.yaml, dist/alice');
    expect(lines).toContain('  wrote dist/argocd');
    expect(r.out).not.toMatch(/wrote .*alice/);
    const committed = repo.git(['show', '--name-status', '--format=', 'HEAD']).split('\n');
    expect(committed).toContain('D\tenvironments/alice.yaml');
    expect(committed).toContain('D\tdist/alice/deployment-guestlist.yaml');
    expect(committed).toContain('D\tdist/argocd/application-guestlist-alice.yaml');
    expect(repo.git(['diff', '--stat', 'HEAD~2', 'HEAD'])).toBe('');
  });

  it('should refuse to remove a protected environment without --force --reason, changing nothing', async () => {
    const before = repo.snapshot();
    const r = await run(['env', 'remove', 'prod', '--commit']);
    expect(r).toEqual({
      code: 1,
      out: '',
      err: 'env remove: environments/prod.yaml: environment "prod" is protected; removing it needs --force --reason "<why>"',
    });
    expect(repo.snapshot()).toEqual(before);
  });

  it('should remove a protected environment with --force --reason and record the reason', async () => {
    const r = await run([
      'env',
      'remove',
      'prod',
      '--force',
      '--reason',
      'moved to another repo',
      '--commit',
    ]);
    expect(r.code).toBe(0);
    expect(
      repo.git(['log', '-1', '--format=%(trailers:key=Guestlist-Reason,valueonly,separator=%x2C)']),
    ).toBe('moved to another repo');
    expect(repo.snapshot().has('dist/prod/deployment-guestlist.yaml')).toBe(false);
  });
});
