import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiObject, JsonPatch } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { loadEnvironments } from '../config';
import { render } from '../render/render';
import { environmentChart } from './index';

const REPO = join(__dirname, '..', '..', '..');
const ENVIRONMENTS = join(REPO, 'environments');

/** The committed `dist/<env>/` files: the per-environment snapshot, reviewed in every pull request. */
function committed(env: string): Record<string, string> {
  const dir = join(REPO, 'dist', env);
  return Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

describe('GuestlistChart', () => {
  const result = render({ environmentsDir: ENVIRONMENTS });

  for (const env of ['dev', 'staging', 'prod']) {
    // dist/ is the snapshot (not a vitest .snap file), so a bump that re-renders dist/ keeps this green.
    it(`should match the committed dist/${env} snapshot`, () => {
      expect(Object.fromEntries(result.tree.get(env) ?? [])).toEqual(committed(env));
    });
  }

  it('should pin prod by digest, run 3+ replicas via the HPA and mount the tokens file', () => {
    const prod = result.tree.get('prod');
    const deployment = prod?.get('deployment-guestlist.yaml') ?? '';
    expect(deployment).toContain('image: registry.example.com/guestlist:0.1.0@sha256:');
    expect(deployment).not.toMatch(/^ {2}replicas:/m);
    expect(prod?.get('horizontalpodautoscaler-guestlist.yaml')).toContain('minReplicas: 3');
    expect(prod?.get('configmap-guestlist.yaml')).toContain('API_TOKENS_FILE: /etc/guestlist/auth/tokens');
    expect(prod?.get('serviceaccount-guestlist.yaml')).not.toContain('eks.amazonaws.com/role-arn');
    expect(result.tree.get('dev')?.get('serviceaccount-guestlist.yaml')).toContain(
      'eks.amazonaws.com/role-arn: arn:aws:iam::111111111111:role/guestlist-dev',
    );
  });

  it('should reflect an edit that adds no construct in the next toJson() (nothing is memoized)', () => {
    const [dev] = loadEnvironments(ENVIRONMENTS);
    if (!dev) throw new Error('no environments');
    const chart = environmentChart(dev);
    const configMap = () => chart.toJson().find((o: { kind: string }) => o.kind === 'ConfigMap');
    expect(configMap().data.EXTRA).toBeUndefined();
    const object = chart.node.findAll().find((c) => ApiObject.isApiObject(c) && c.kind === 'ConfigMap');
    ApiObject.of(object as ApiObject).addJsonPatch(JsonPatch.add('/data/EXTRA', 'yes'));
    expect(configMap().data.EXTRA).toBe('yes');
  });
});
