import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIn } from '../../../test/cli';
import { opsRepo } from '../../../test/ops-repo';
import type { TempRepo } from '../../../test/temp-repo';

let repo: TempRepo;
let before: string;
let after: string;
beforeAll(async () => {
  repo = opsRepo();
  // A real two-commit history: the initial import, then a commit changing one rendered image (made by hand,
  // so the expected output does not depend on what else the renderer puts in dist/).
  const path = 'dist/dev/deployment-guestlist.yaml';
  before = (/\n +image: (\S+)\n/.exec(repo.read(path)) as RegExpExecArray)[1] as string;
  after = `${before.replace(/[:@].*$/, '')}:9.9.9`;
  repo.write(path, repo.read(path).replace(`image: ${before}\n`, `image: ${after}\n`));
  repo.git(['commit', '--quiet', '-am', 'dev: a new image']);
});
afterAll(() => repo.cleanup());

async function diff(...argv: string[]) {
  return runIn(repo.dir, ['diff', ...argv]);
}

describe('diff', () => {
  it('should render markdown for the last commit with the image change flagged and the details collapsed', async () => {
    const r = await diff('--base', 'HEAD~1', '--format', 'markdown');
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        '### Rendered diff: `HEAD~1` → working tree',
        '',
        '**1 object(s) in 1 folder(s): 1 changed, 0 added, 0 removed; 1 risky**',
        '',
        '#### ⚠️ Risky changes',
        '',
        '| environment | object | risk | change |',
        '|---|---|---|---|',
        `| dev | Deployment/guestlist | image | \`spec.template.spec.containers[name=guestlist].image: "${before}" → "${after}"\` |`,
        '',
        '<details><summary><b>dev</b>: 1 changed, 0 added, 0 removed (1 risky)</summary>',
        '',
        '```text',
        '! Deployment/guestlist (guestlist-dev) changed [risk: image]',
        `    spec.template.spec.containers[name=guestlist].image: "${before}" → "${after}"`,
        '```',
        '',
        '</details>',
      ].join('\n'),
    );
  });

  it('should say nothing changed against HEAD on a clean tree', async () => {
    expect((await diff()).out).toBe('Rendered diff HEAD → working tree: no rendered object changed');
  });

  it('should render the working tree fresh when an environment file has uncommitted changes', async () => {
    const original = repo.read('environments/prod.yaml');
    repo.write('environments/prod.yaml', original.replace('maxReplicas: 10', 'maxReplicas: 12'));
    const r = await diff('--json', '--env', 'prod');
    repo.write('environments/prod.yaml', original);
    const result = JSON.parse(r.out);
    expect(result.fresh).toBe(true);
    expect(result.changes).toContainEqual({
      env: 'prod',
      file: 'horizontalpodautoscaler-guestlist.yaml',
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      name: 'guestlist',
      namespace: 'guestlist-prod',
      change: 'changed',
      fields: [{ path: 'spec.maxReplicas', change: 'changed', before: 10, after: 12 }],
      risks: ['replicas'],
    });
  });

  it('should limit the diff to one folder with --env', async () => {
    expect((await diff('--base', 'HEAD~1', '--env', 'prod')).out).toBe(
      'Rendered diff HEAD~1 → working tree: no rendered object changed',
    );
  });
});
