import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIn } from '../../../test/cli';
import { opsRepo } from '../../../test/ops-repo';
import type { TempRepo } from '../../../test/temp-repo';

const DIGEST = 'sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae';
let repo: TempRepo;
beforeAll(() => {
  repo = opsRepo();
});
afterAll(() => repo.cleanup());

/** staging's image as its rendered Deployment has it (repository:tag@digest). */
function stagingImage(): string {
  return (
    /\n +image: (\S+)\n/.exec(repo.read('dist/staging/deployment-guestlist.yaml')) as RegExpExecArray
  )[1] as string;
}

async function run(argv: readonly string[]) {
  return runIn(repo.dir, argv);
}

describe('promote with --skip-verify', () => {
  it('should copy the exact image along the chain, record the skip in the trailers and print a PR body', async () => {
    const previous = stagingImage();
    expect((await run(['bump', 'dev', '--tag', '0.2.0', '--digest', DIGEST, '--commit'])).code).toBe(0);
    const r = await run([
      'promote',
      'dev',
      'staging',
      '--skip-verify',
      '--reason',
      'cluster API down; checked by hand',
      '--format',
      'markdown',
      '--commit',
    ]);
    expect(r.code).toBe(0);
    const [title, blank, ...body] = r.out.split('\n');
    expect(title).toBe('promote dev → staging: 0.2.0');
    expect(blank).toBe('');
    expect(body.join('\n')).toContain(`| image | \`registry.example.com/guestlist:0.2.0@${DIGEST}\` |`);
    expect(body.join('\n')).toContain('| verification | ⚠️ skipped: cluster API down; checked by hand |');
    expect(body.join('\n')).toContain(
      `| staging | Deployment/guestlist | image | \`spec.template.spec.containers[name=guestlist].image: "${previous}" → "registry.example.com/guestlist:0.2.0@${DIGEST}"\``,
    );
    expect(repo.git(['log', '-1', '--format=%(trailers:only,unfold)'])).toBe(
      [
        'Guestlist-Environment: staging',
        'Guestlist-Action: promote',
        `Guestlist-Image: registry.example.com/guestlist:0.2.0@${DIGEST}`,
        `Guestlist-Digest: ${DIGEST}`,
        'Guestlist-Source: dev',
        'Guestlist-Verified: skipped',
        'Guestlist-Reason: cluster API down; checked by hand',
        `Guestlist-Previous-Image: ${previous}`,
      ].join('\n'),
    );
    const committed = repo.git(['show', '--name-only', '--format=', 'HEAD']).split('\n');
    expect(committed).toContain('dist/staging/deployment-guestlist.yaml');
    expect(committed.every((p) => p === 'environments/staging.yaml' || p.startsWith('dist/staging/'))).toBe(
      true,
    );
  });

  it('should say so and change nothing when the target already has the image', async () => {
    const r = await run(['promote', 'dev', 'staging', '--skip-verify', '--reason', 'again']);
    expect(r.out).toBe(
      `promote dev → staging: nothing to do\n\nstaging is already at registry.example.com/guestlist:0.2.0@${DIGEST} (the image of dev); nothing changed`,
    );
  });

  it('should refuse to promote an image without a digest into an environment that requires one', async () => {
    expect((await run(['bump', 'staging', '--tag', '0.2.1', '--commit'])).code).toBe(0);
    const before = repo.snapshot();
    const r = await run(['promote', 'staging', 'prod', '--skip-verify', '--reason', 'x']);
    expect(r).toEqual({
      code: 1,
      out: '',
      err: "promote: staging → prod: prod requires a digest (imagePolicy.requireDigest in environments/prod.yaml) but staging's image registry.example.com/guestlist:0.2.1 has none; bump staging with --digest first",
    });
    expect(repo.snapshot()).toEqual(before);
  });

  it('should print a plain-text summary with the rendered diff of the target', async () => {
    expect((await run(['bump', 'staging', '--tag', '0.2.1', '--digest', DIGEST, '--commit'])).code).toBe(0);
    const r = await run(['promote', 'staging', 'prod', '--skip-verify', '--reason', 'hotfix']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`image:         registry.example.com/guestlist:0.2.1@${DIGEST}`);
    expect(r.out).toContain('! prod: Deployment/guestlist (guestlist-prod) changed [risk: image]');
    const changed = repo
      .git(['status', '--porcelain'])
      .split('\n')
      .map((l) => l.trim());
    expect(changed).toContain('M environments/prod.yaml');
    expect(changed).toContain('M dist/prod/deployment-guestlist.yaml');
    expect(changed.every((l) => l === 'M environments/prod.yaml' || l.startsWith('M dist/prod/'))).toBe(true);
  });
});
