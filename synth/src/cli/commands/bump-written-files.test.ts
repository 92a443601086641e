// bump on environment files as people write them, through the real CLI process in a clone with a bare origin.
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { cliCommand } from '../../../test/launcher';
import { opsRepo } from '../../../test/ops-repo';
import type { TempRepo } from '../../../test/temp-repo';

const DIGEST = `sha256:${'2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae'}`;
const DEV = 'environments/dev.yaml';

let repo: TempRepo;
afterEach(() => repo.cleanup());

/** `npm run bump -- …` without npm: the CLI as its own process in the clone. */
function bump(...args: string[]) {
  const r = spawnSync(...cliCommand('bump', ...args), {
    cwd: repo.dir,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A clone whose dev environment file is `text`, committed. */
function devFile(text: string): void {
  repo = opsRepo({ [DEV]: text });
}

const DEV_TEXT = (image: string, after = '') =>
  `# Development\nname: dev\n${image}autoscaling:\n  minReplicas: 1\n  maxReplicas: 2\ncluster: nonprod\nlogLevel: debug\n${after}`;

describe('bump on the environment files people write', () => {
  it('should keep a comment after the image key and change only the tag and digest lines', () => {
    devFile(DEV_TEXT('image: # the API image\n  tag: "0.1.0"\n'));
    const r = bump('dev', '--tag', '0.2.0', '--digest', DIGEST);
    expect(r, r.err).toMatchObject({ code: 0, err: '' });
    expect(repo.read(DEV)).toBe(DEV_TEXT(`image: # the API image\n  tag: "0.2.0"\n  digest: ${DIGEST}\n`));
    expect(repo.read('dist/dev/deployment-guestlist.yaml')).toContain(`guestlist:0.2.0@${DIGEST}`);
  });

  it('should edit a flow mapping in place', () => {
    devFile(DEV_TEXT(`image: {tag: "0.1.0", digest: sha256:${'b'.repeat(64)}} # set by CI\n`));
    const r = bump('dev', '--tag', '0.2.0', '--digest', DIGEST);
    expect(r, r.err).toMatchObject({ code: 0, err: '' });
    expect(repo.read(DEV)).toBe(DEV_TEXT(`image: {tag: "0.2.0", digest: ${DIGEST}} # set by CI\n`));
  });

  it('should add the digest to an image block that ends the file, above its trailing comment', () => {
    const text = (image: string) =>
      `name: dev\ncluster: nonprod\n${image}\n# Bumped by CI; see docs/operations.md.\n`;
    devFile(text('image:\n  tag: "0.1.0"'));
    const r = bump('dev', '--tag', '0.2.0', '--digest', DIGEST);
    expect(r, r.err).toMatchObject({ code: 0, err: '' });
    expect(repo.read(DEV)).toBe(text(`image:\n  tag: "0.2.0"\n  digest: ${DIGEST}`));
  });

  it('should refuse an anchored tag that an alias uses elsewhere, naming the alias and its line, and change nothing', () => {
    devFile(
      'name: dev\nimage:\n  tag: &t "0.2.1"\n# the shared non-production cluster\ncluster: nonprod\ningress:\n  enabled: true\n  host: a.example.com\n  sourceCidrs: [10.10.0.0/24]\n  group: *t\n',
    );
    const before = repo.snapshot();
    const r = bump('dev', '--tag', '0.3.0');
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      'bump: environments/dev.yaml:3:11: image.tag carries the anchor &t, which ingress.group aliases at line 10 (*t); editing image.tag would change ingress.group too; write the value out in place of *t (or drop the anchor), then run the command again\n',
    );
    expect(repo.snapshot()).toEqual(before);
  });

  it('should commit the change a bump without --commit left in the tree when run again with --commit', () => {
    repo = opsRepo();
    expect(bump('dev', '--tag', '0.2.0')).toMatchObject({ code: 0, err: '' });
    expect(repo.git(['status', '--porcelain'])).not.toBe('');
    const r = bump('dev', '--tag', '0.2.0', '--commit', '--json');
    expect(r, r.err).toMatchObject({ code: 0, err: '' });
    expect(JSON.parse(r.out)).toMatchObject({ status: 'changed', paths: [DEV, 'dist/dev'] });
    expect(repo.git(['status', '--porcelain'])).toBe('');
    expect(repo.git(['show', '--name-only', '--format=', 'HEAD']).split('\n').sort()).toEqual([
      'dist/dev/configmap-guestlist.yaml',
      'dist/dev/deployment-guestlist.yaml',
      DEV,
    ]);
    expect(repo.git(['log', '-1', '--format=%(trailers:only,unfold)'])).toBe(
      [
        'Guestlist-Environment: dev',
        'Guestlist-Action: bump',
        'Guestlist-Image: registry.example.com/guestlist:0.2.0',
        'Guestlist-Previous-Image: registry.example.com/guestlist:0.1.0',
      ].join('\n'),
    );
    // Committed, it is now really nothing to do.
    expect(bump('dev', '--tag', '0.2.0', '--commit')).toMatchObject({ code: 0, err: '' });
    expect(repo.git(['rev-list', '--count', 'HEAD'])).toBe('2');
  });

  it("should not commit someone else's edit of the same file with the pending bump", () => {
    repo = opsRepo();
    expect(bump('dev', '--tag', '0.2.0').code).toBe(0);
    repo.write(DEV, repo.read(DEV).replace('logLevel: debug', 'logLevel: info'));
    const r = bump('dev', '--tag', '0.2.0', '--commit');
    expect(r.code).toBe(0);
    expect(r.out).toContain('already at');
    expect(repo.git(['rev-list', '--count', 'HEAD'])).toBe('1');
  });
});
