import { describe, expect, it } from 'vitest';
import { fieldRisk, risksOf } from './risk';

describe('fieldRisk', () => {
  it.each([
    ['Deployment', 'spec.template.spec.containers[name=guestlist].image', 'image'],
    ['Deployment', 'spec.replicas', 'replicas'],
    ['HorizontalPodAutoscaler', 'spec.maxReplicas', 'replicas'],
    ['Deployment', 'spec.template.spec.containers[name=guestlist].resources.limits.memory', 'resources'],
    ['Deployment', 'spec.template.spec.securityContext.runAsUser', 'security-context'],
    ['Namespace', 'metadata.labels."pod-security.kubernetes.io/enforce"', 'security-context'],
    ['NetworkPolicy', 'spec.ingress[+]', 'network-policy'],
    ['ClusterRole', 'rules[+]', 'rbac'],
    ['ServiceAccount', 'metadata.annotations."eks.amazonaws.com/role-arn"', 'rbac'],
    ['Service', 'spec.type', 'service-type'],
    ['Ingress', 'spec.rules[host=a.example.com]', 'ingress'],
    ['Application', 'spec.syncPolicy.automated.prune', 'argocd-sync-policy'],
    ['Application', 'spec.project', 'argocd-project'],
    ['AppProject', 'spec.destinations[+]', 'argocd-project'],
  ])('should flag %s %s as %s', (kind, path, risk) => {
    expect(fieldRisk(kind, path)).toBe(risk);
  });

  it('should not flag a ConfigMap value, a Deployment annotation or a label of a sensitive kind', () => {
    expect(fieldRisk('ConfigMap', 'data.LOG_LEVEL')).toBeUndefined();
    expect(fieldRisk('NetworkPolicy', 'metadata.labels."app.kubernetes.io/version"')).toBeUndefined();
    expect(fieldRisk('Ingress', 'metadata.annotations."alb.ingress.kubernetes.io/scheme"')).toBe('ingress');
    expect(fieldRisk('Deployment', 'spec.template.metadata.annotations."checksum/config"')).toBeUndefined();
  });
});

describe('risksOf', () => {
  it('should flag a removed object and list risks in their fixed order', () => {
    expect(risksOf('Deployment', 'removed', [])).toEqual(['removed']);
    const fields = [
      { path: 'spec.template.spec.securityContext.runAsUser', change: 'changed' as const },
      { path: 'spec.template.spec.containers[name=a].image', change: 'changed' as const },
    ];
    expect(risksOf('Deployment', 'changed', fields)).toEqual(['image', 'security-context']);
  });

  it('should flag an added LoadBalancer Service but not an added ClusterIP one', () => {
    expect(risksOf('Service', 'added', [], { spec: { type: 'LoadBalancer' } })).toEqual(['service-type']);
    expect(risksOf('Service', 'added', [], { spec: { type: 'ClusterIP' } })).toEqual([]);
    expect(risksOf('Role', 'added', [])).toEqual(['rbac']);
  });
});
