import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEnvironments } from '../config';
import { environmentChart } from './index';
import type { K8sObject } from './k8s-object';
import { PREREQUISITES, prerequisitesOf } from './prerequisites';

const ROOT = join(__dirname, '..', '..', '..');
const environments = loadEnvironments(join(ROOT, 'environments'));
const docs = readFileSync(join(ROOT, 'docs', 'production.md'), 'utf8');

describe('cluster prerequisites', () => {
  it('should be documented in docs/production.md, every one of them', () => {
    for (const p of PREREQUISITES) expect(docs, p.component).toContain(p.component);
  });

  it('should cover every API group the environments render beyond built-in Kubernetes', () => {
    for (const env of environments) {
      const objects = environmentChart(env).toJson() as K8sObject[];
      const { components, unprovided } = prerequisitesOf(objects, env);
      expect(unprovided, env.name).toEqual([]);
      expect(components.length, env.name).toBeGreaterThan(0);
    }
  });

  it('should name what prod needs (Pod Identity, ALB, secrets, monitoring)', () => {
    const prod = environments.find((e) => e.name === 'prod');
    if (!prod) throw new Error('no prod environment');
    const objects = environmentChart(prod).toJson() as K8sObject[];
    expect(prerequisitesOf(objects, prod).components).toEqual(PREREQUISITES.map((p) => p.component));
  });

  it('should report a rendered CRD group that no prerequisite provides', () => {
    const prod = environments[0];
    if (!prod) throw new Error('no environment');
    const crd = { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'x' } };
    expect(prerequisitesOf([crd], prod).unprovided).toEqual(['cert-manager.io']);
  });
});
