import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIn } from '../../../test/cli';
import { opsRepo } from '../../../test/ops-repo';
import type { TempRepo } from '../../../test/temp-repo';

const DIGEST = `sha256:${'2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae'}`;
let repo: TempRepo;
beforeAll(() => {
  repo = opsRepo();
});
afterAll(() => repo.cleanup());

async function run(...argv: string[]) {
  return runIn(repo.dir, argv);
}

describe('bump', () => {
  it('should change exactly the tag line, re-render dist/dev and commit only those paths, with trailers', async () => {
    const before = repo.read('environments/dev.yaml');
    const r = await run('bump', 'dev', '--tag', '0.2.0', '--commit');
    expect(r).toMatchObject({ code: 0, err: '' });
    const diff = repo
      .git(['diff', '--unified=0', 'HEAD~1', '--', 'environments/dev.yaml'])
      .split('\n')
      .slice(4);
    expect(diff[0]).toMatch(/^@@ -(\d+) \+\1 @@ image:$/);
    expect(diff.slice(1)).toEqual(['-  tag: "0.1.0"', '+  tag: "0.2.0"']);
    expect(repo.read('environments/dev.yaml')).toBe(before.replace('tag: "0.1.0"', 'tag: "0.2.0"'));
    // Exactly the environment file and the two objects that carry the version (pods' label, SERVICE_VERSION).
    const committed = repo.git(['show', '--name-only', '--format=', 'HEAD']).split('\n');
    expect(committed.sort()).toEqual([
      'dist/dev/configmap-guestlist.yaml',
      'dist/dev/deployment-guestlist.yaml',
      'environments/dev.yaml',
    ]);
    expect(repo.read('dist/dev/deployment-guestlist.yaml')).toContain(
      'image: registry.example.com/guestlist:0.2.0',
    );
    expect(repo.git(['log', '-1', '--format=%(trailers:only,unfold)'])).toBe(
      [
        'Guestlist-Environment: dev',
        'Guestlist-Action: bump',
        'Guestlist-Image: registry.example.com/guestlist:0.2.0',
        'Guestlist-Previous-Image: registry.example.com/guestlist:0.1.0',
      ].join('\n'),
    );
    expect(repo.git(['status', '--porcelain'])).toBe('');
  });

  it('should say that the digest goes with the old tag when staging is bumped without --digest', async () => {
    const r = await run('bump', 'staging', '--tag', '0.2.0');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toMatch(
      /^bump: staging: registry\.example\.com\/guestlist:[^@ ]+@sha256:[0-9a-f]{64} → registry\.example\.com\/guestlist:0\.2\.0 \(its digest named the old image and is dropped; pass --digest to pin the new one\)$/,
    );
    expect(repo.read('environments/staging.yaml')).not.toMatch(/digest:/);
    repo.git(['checkout', '--', 'environments', 'dist']);
  });

  it('should change exactly the tag and digest lines of prod', async () => {
    const old = /\n {2}tag: "([^"]+)"\n {2}digest: (\S+)\n/.exec(
      repo.read('environments/prod.yaml'),
    ) as RegExpExecArray;
    const r = await run('bump', 'prod', '--tag', '0.2.0', '--digest', DIGEST, '--commit', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      command: 'bump',
      status: 'changed',
      environment: 'prod',
      digest: DIGEST,
      pushed: false,
    });
    const diff = repo
      .git(['diff', '--unified=0', 'HEAD~1', '--', 'environments/prod.yaml'])
      .split('\n')
      .slice(4);
    expect(diff[0]).toMatch(/^@@ -(\d+),2 \+\1,2 @@ image:$/);
    expect(diff.slice(1)).toEqual([
      `-  tag: "${old[1]}"`,
      `-  digest: ${old[2]}`,
      '+  tag: "0.2.0"',
      `+  digest: ${DIGEST}`,
    ]);
    expect(repo.git(['log', '-1', '--format=%(trailers:key=Guestlist-Digest,valueonly)'])).toBe(DIGEST);
  });

  it('should exit 0 and change nothing when the environment is already at that image', async () => {
    const head = repo.git(['rev-parse', 'HEAD']);
    const r = await run('bump', 'dev', '--tag', '0.2.0', '--commit');
    expect(r).toEqual({
      code: 0,
      out: 'bump: dev is already at registry.example.com/guestlist:0.2.0; nothing changed',
      err: '',
    });
    expect(repo.git(['rev-parse', 'HEAD'])).toBe(head);
  });

  it('should show the bump in history with its trailers', async () => {
    const json = await runIn(repo.dir, ['history', 'dev', '--json']);
    expect(json.code).toBe(0);
    const entries = JSON.parse(json.out).entries;
    expect(entries[0]).toMatchObject({
      action: 'bump',
      image: 'registry.example.com/guestlist:0.2.0',
      tag: '0.2.0',
      digest: null,
      previousImage: 'registry.example.com/guestlist:0.1.0',
      pinned: false,
      commit: repo.git(['rev-parse', 'HEAD~1']),
    });
    expect(entries.at(-1)).toMatchObject({ action: 'manual', tag: '0.1.0', subject: 'initial' });
    const text = await runIn(repo.dir, ['history', 'dev']);
    expect(text.out.split('\n')[0]).toMatch(
      /^DATE\s+ACTION\s+TAG\s+DIGEST\s+SOURCE\s+VERIFIED\s+PINNED\s+COMMIT\s+REASON$/,
    );
    expect(text.out.split('\n')[1]).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+bump\s+0\.2\.0\s+-\s+-\s+-\s+no\s+[0-9a-f]{12}$/,
    );
  });

  it('should leave unrelated staged and unstaged changes out of the commit', async () => {
    repo.write('notes.md', 'mine\n');
    repo.write('environments/staging.yaml', `${repo.read('environments/staging.yaml')}# a note\n`);
    repo.git(['add', 'environments/staging.yaml']);
    const r = await run('bump', 'dev', '--tag', '0.2.1', '--commit');
    expect(r.code).toBe(0);
    const committed = repo.git(['show', '--name-only', '--format=', 'HEAD']).split('\n');
    expect(committed.every((p) => p === 'environments/dev.yaml' || p.startsWith('dist/dev/'))).toBe(true);
    expect(repo.git(['status', '--porcelain'])).toBe('M  environments/staging.yaml\n?? notes.md');
    repo.git(['reset', '--quiet', '--hard', 'HEAD']);
    repo.git(['clean', '--quiet', '-f']);
  });
});
