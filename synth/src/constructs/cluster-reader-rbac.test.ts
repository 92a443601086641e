import { Testing } from 'cdk8s';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { describe, expect, it } from 'vitest';
import { ClusterReaderRbac, type ClusterReaderRbacProps } from './cluster-reader-rbac';

function synth(props: ClusterReaderRbacProps): Record<string, unknown>[] {
  const chart = Testing.chart();
  new ClusterReaderRbac(chart, 'reader', props);
  return Testing.synth(chart) as Record<string, unknown>[];
}

describe('ClusterReaderRbac', () => {
  it('should render exactly the reads of status and verify, namespaced, bound to the subjects', () => {
    const objects = synth({
      argocdNamespace: 'argocd',
      applications: ['guestlist-dev'],
      namespaces: ['guestlist-dev'],
      subjects: [{ kind: 'Group', name: 'guestlist-ci' }],
    });
    const binding = (namespace: string) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'guestlist-cluster-reader', namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'guestlist-cluster-reader' },
      subjects: [{ kind: 'Group', name: 'guestlist-ci', apiGroup: 'rbac.authorization.k8s.io' }],
    });
    expect(objects).toEqual([
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'guestlist-cluster-reader', namespace: 'argocd' },
        rules: [
          {
            apiGroups: ['argoproj.io'],
            resources: ['applications'],
            resourceNames: ['guestlist-dev'],
            verbs: ['get', 'watch'],
          },
        ],
      },
      binding('argocd'),
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'guestlist-cluster-reader', namespace: 'guestlist-dev' },
        rules: [
          {
            apiGroups: ['apps'],
            resources: ['deployments'],
            resourceNames: ['guestlist'],
            verbs: ['get', 'watch'],
          },
          { apiGroups: [''], resources: ['pods'], verbs: ['list', 'watch'] },
        ],
      },
      binding('guestlist-dev'),
    ]);
    for (const o of objects) {
      const Model = o.kind === 'Role' ? Role : RoleBinding;
      expect(() => new Model(o as never).validate()).not.toThrow();
    }
  });

  it('should bind a ServiceAccount with its namespace and refuse one without', () => {
    const objects = synth({
      argocdNamespace: 'argocd',
      applications: ['guestlist-dev', 'guestlist-prod'],
      namespaces: ['guestlist-dev', 'guestlist-prod'],
      subjects: [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'ci' }],
    });
    expect(objects).toHaveLength(6);
    expect(objects[1]?.subjects).toEqual([{ kind: 'ServiceAccount', name: 'deployer', namespace: 'ci' }]);
    expect(() =>
      synth({
        argocdNamespace: 'argocd',
        applications: [],
        namespaces: [],
        subjects: [{ kind: 'ServiceAccount', name: 'x' }],
      }),
    ).toThrow('ClusterReaderRbac: ServiceAccount "x" needs a namespace');
  });
});
