import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoWorkspace } from '../repo-workspace';
import { opsContext, opsRepo } from '../testing/ops-context';
import type { TempRepo } from '../testing/temp-repo';
import { runOps } from './run-ops';

let repo: TempRepo;
afterEach(() => repo.cleanup());

/** A context whose workspace lets another writer edit dev.yaml right after each of the first `times` renders. */
function withConcurrentWriter(dir: string, times: number, edit: (text: string, n: number) => string) {
  const c = opsContext(dir);
  const ws = repoWorkspace(dir);
  let n = 0;
  const path = join(dir, 'environments', 'dev.yaml');
  const ctx = {
    ...c.ctx,
    workspace: () => ({
      ...ws,
      render: (overrides: Parameters<typeof ws.render>[0]) => {
        const out = ws.render(overrides);
        if (n < times) writeFileSync(path, edit(ws.readEnvText('dev.yaml') as string, n++));
        return out;
      },
    }),
  };
  return { ...c, ctx };
}

describe('compare-and-swap on the environment file', () => {
  it('should re-read and re-apply the bump when the file changed between read and write (no lost update)', async () => {
    repo = opsRepo();
    const c = withConcurrentWriter(repo.dir, 1, (t) => t.replace('logLevel: debug', 'logLevel: info'));
    expect(await runOps('bump', ['dev', '--tag', '0.2.0', '--json'], c.ctx)).toBe(0);
    expect(JSON.parse(c.out())).toMatchObject({ status: 'changed', attempts: 2 });
    expect(c.err()).toBe('bump: dev.yaml changed on disk meanwhile; reading it again');
    const text = repo.read('environments/dev.yaml');
    expect(text).toContain('tag: "0.2.0"');
    expect(text).toContain('logLevel: info');
    expect(repo.read('dist/dev/deployment-guestlist.yaml')).toContain('guestlist:0.2.0');
    expect(repo.read('dist/dev/configmap-guestlist.yaml')).toContain('LOG_LEVEL: info');
  });

  it('should refuse after five attempts when the file keeps changing, writing nothing of its own', async () => {
    repo = opsRepo();
    const dist = repo.snapshot();
    const c = withConcurrentWriter(repo.dir, 99, (t, n) => `${t}# edit ${n}\n`);
    expect(await runOps('bump', ['dev', '--tag', '0.2.0'], c.ctx)).toBe(1);
    expect(c.err().split('\n').at(-1)).toBe(
      'bump: environments/dev.yaml kept changing while this command ran (5 attempts); nothing was written',
    );
    const after = repo.snapshot();
    expect(after.get('environments/dev.yaml')).toBe(
      `${dist.get('environments/dev.yaml')}# edit 0\n# edit 1\n# edit 2\n# edit 3\n# edit 4\n`,
    );
    after.delete('environments/dev.yaml');
    dist.delete('environments/dev.yaml');
    expect(after).toEqual(dist);
    expect(repo.git(['log', '--oneline']).split('\n')).toHaveLength(1);
  });
});

describe('--push against a moving origin', () => {
  it('should re-apply the change on the new head after a non-fast-forward, so both bumps land', async () => {
    repo = opsRepo();
    const a = repo.clone('a');
    const b = repo.clone('b');
    const ca = opsContext(a);
    expect(await runOps('bump', ['dev', '--tag', '0.2.0', '--commit', '--push'], ca.ctx)).toBe(0);
    const cb = opsContext(b);
    expect(await runOps('bump', ['dev', '--tag', '0.3.0', '--commit', '--push', '--json'], cb.ctx)).toBe(0);
    expect(JSON.parse(cb.out())).toMatchObject({ status: 'changed', pushed: true, attempts: 2 });
    expect(cb.err()).toBe(
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
    const ca = opsContext(a);
    const argv = ['dev', '--tag', '0.2.0', '--commit', '--push'];
    expect(await runOps('bump', [...argv, '--force', '--reason', 'by A'], ca.ctx)).toBe(0);
    const cb = opsContext(b);
    expect(await runOps('bump', argv, cb.ctx)).toBe(0);
    expect(cb.out()).toBe(
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
    const cb = opsContext(b);
    expect(
      await runOps('bump', ['dev', '--tag', '0.2.0', '--commit', '--push', '--retries', '1'], cb.ctx),
    ).toBe(1);
    expect(cb.err()).toMatch(/^bump: git push to origin main failed: remote: protected branch$/);
  });
});
