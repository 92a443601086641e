import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FINDINGS, readFolder } from '../../test/dist-findings';
import { loadEnvironments } from '../config';

const ROOT = join(__dirname, '..', '..', '..');
const environments = loadEnvironments(join(ROOT, 'environments'));

describe('the committed dist/ against the EKS review findings', () => {
  for (const [finding, check] of Object.entries(FINDINGS)) {
    it(`should hold finding ${finding} in every environment`, () => {
      const problems = environments.flatMap((env) =>
        check(readFolder(join(ROOT, 'dist'), env.name), env).map((p) => `${env.name}: ${p}`),
      );
      expect(problems).toEqual([]);
    });
  }

  it("should allow exactly the rendered kinds in each environment's AppProject", () => {
    const projects = readFolder(join(ROOT, 'dist'), 'argocd').filter((o) => o.kind === 'AppProject');
    for (const env of environments) {
      const kinds = new Set(
        readFolder(join(ROOT, 'dist'), env.name).map(
          (o) => `${o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : ''}/${o.kind}`,
        ),
      );
      const project = projects.find((p) => p.metadata.name === `guestlist-${env.name}`);
      const allowed = [
        ...project.spec.clusterResourceWhitelist,
        ...project.spec.namespaceResourceWhitelist,
      ].map((k: { group: string; kind: string }) => `${k.group}/${k.kind}`);
      expect(new Set(allowed), env.name).toEqual(kinds);
      expect(allowed).toHaveLength(kinds.size);
    }
  });
});
