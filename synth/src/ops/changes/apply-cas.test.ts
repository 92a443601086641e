// Compare-and-swap of applyChange: another writer edits an environment file between the read and the write.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { opsRepo } from '../../../test/ops-repo';
import type { TempRepo } from '../../../test/temp-repo';
import { applyChange } from './apply';
import { planBump } from './bump';
import { repoWorkspace } from './repo-workspace';

let repo: TempRepo;
afterEach(() => repo.cleanup());

/** A workspace that lets another writer edit dev.yaml right after each of the first `times` renders. */
function withConcurrentWriter(dir: string, times: number, edit: (text: string, n: number) => string) {
  const ws = repoWorkspace(dir);
  let n = 0;
  const path = join(dir, 'environments', 'dev.yaml');
  return {
    ...ws,
    render: (overrides: Parameters<typeof ws.render>[0]) => {
      const out = ws.render(overrides);
      if (n < times) writeFileSync(path, edit(ws.readEnvText('dev.yaml') as string, n++));
      return out;
    },
  };
}

/** `bump dev --tag 0.2.0` as the command runs it, without git; the log lines it printed. */
async function bump(ws: ReturnType<typeof withConcurrentWriter>) {
  const log: string[] = [];
  const result = await applyChange(
    ws,
    undefined,
    async (s) => planBump({ env: 'dev', tag: '0.2.0', force: false }, s),
    {
      commit: false,
      push: false,
      log: (line) => log.push(line),
    },
  );
  return { result, log };
}

describe('compare-and-swap on the environment file', () => {
  it('should re-read and re-apply the bump when the file changed between read and write (no lost update)', async () => {
    repo = opsRepo();
    const { result, log } = await bump(
      withConcurrentWriter(repo.dir, 1, (t) => t.replace('logLevel: debug', 'logLevel: info')),
    );
    expect(result).toMatchObject({ status: 'changed', attempts: 2 });
    expect(log).toEqual(['dev.yaml changed on disk meanwhile; reading it again']);
    const text = repo.read('environments/dev.yaml');
    expect(text).toContain('tag: "0.2.0"');
    expect(text).toContain('logLevel: info');
    expect(repo.read('dist/dev/deployment-guestlist.yaml')).toContain('guestlist:0.2.0');
    expect(repo.read('dist/dev/configmap-guestlist.yaml')).toContain('LOG_LEVEL: info');
  });

  it('should refuse after five attempts when the file keeps changing, writing nothing of its own', async () => {
    repo = opsRepo();
    const dist = repo.snapshot();
    await expect(bump(withConcurrentWriter(repo.dir, 99, (t, n) => `${t}# edit ${n}\n`))).rejects.toThrow(
      'environments/dev.yaml kept changing while this command ran (5 attempts); nothing was written',
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
