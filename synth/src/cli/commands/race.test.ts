import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runIn } from '../../../test/cli';
import { opsRepo } from '../../../test/ops-repo';
import type { TempRepo } from '../../../test/temp-repo';

let repo: TempRepo;
afterEach(() => repo.cleanup());

describe('--push against a moving origin', () => {
  it('should re-apply the change on the new head after a non-fast-forward, so both bumps land', async () => {
    repo = opsRepo();
    const a = repo.clone('a');
    const b = repo.clone('b');
    expect((await runIn(a, ['bump', 'dev', '--tag', '0.2.0', '--commit', '--push'])).code).toBe(0);
    const rb = await runIn(b, ['bump', 'dev', '--tag', '0.3.0', '--commit', '--push', '--json']);
    expect(rb.code).toBe(0);
    expect(JSON.parse(rb.out)).toMatchObject({ status: 'changed', pushed: true, attempts: 2 });
    expect(rb.err).toBe(
      'bump: push rejected (non-fast-forward); re-applying on the new origin/main (retry 1 of 3)',
    );
    const log = repo.git(
      [
        'log',
        '--format=%(trailers:key=Guestlist-Image,valueonly,separator=%x2C)%x09%(trailers:key=Guestlist-Previous-Image,valueonly,separator=%x2C)',
        'main',
      ],
      repo.origin,
    );
    expect(log.split('\n').filter((l) => l.trim() !== '')).toEqual([
      'registry.example.com/guestlist:0.3.0\tregistry.example.com/guestlist:0.2.0',
      'registry.example.com/guestlist:0.2.0\tregistry.example.com/guestlist:0.1.0',
    ]);
    const shown = repo.git(['show', 'main:dist/dev/deployment-guestlist.yaml'], repo.origin);
    expect(shown).toContain('image: registry.example.com/guestlist:0.3.0');
  });

  it('should report "already there" when the new head already has the image', async () => {
    repo = opsRepo();
    const a = repo.clone('a');
    const b = repo.clone('b');
    // A's commit differs from the one B makes (a reason trailer): identical commits would simply be one commit.
    const argv = ['bump', 'dev', '--tag', '0.2.0', '--commit', '--push'];
    expect((await runIn(a, [...argv, '--force', '--reason', 'by A'])).code).toBe(0);
    const rb = await runIn(b, argv);
    expect(rb.code).toBe(0);
    expect(rb.out).toBe(
      'bump: already there: origin/main dev is already at registry.example.com/guestlist:0.2.0; nothing changed',
    );
    expect(repo.git(['rev-parse', 'HEAD'], b)).toBe(repo.git(['rev-parse', 'main'], repo.origin));
    expect(repo.git(['status', '--porcelain'], b)).toBe('');
  });

  it('should give up after --retries rejections and say the commit is local only', async () => {
    repo = opsRepo();
    const b = repo.clone('b');
    // A hook on origin that rejects every push to main, as a protected branch would.
    writeFileSync(
      join(repo.origin, 'hooks', 'pre-receive'),
      '#!/bin/sh\necho "protected branch" >&2\nexit 1\n',
      { mode: 0o755 },
    );
    const rb = await runIn(b, ['bump', 'dev', '--tag', '0.2.0', '--commit', '--push', '--retries', '1']);
    expect(rb.code).toBe(1);
    expect(rb.err).toMatch(
      /^bump: git push to origin main failed: remote: protected branch; the commit ([0-9a-f]{12}) stays in the local branch \(check with git status; push it again with git push, or undo it with git reset --keep \1~1 while it is the branch's last commit\)$/,
    );
  });
});
