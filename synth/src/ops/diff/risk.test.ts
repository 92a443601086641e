import { describe, expect, it } from 'vitest';
import { fieldRisk, type ObjectType, risksOf } from './risk';

/** The rendered object types, by short name (the ACK Role and the RBAC Role share a kind name). */
const T: Record<string, ObjectType> = {
  Deployment: { apiVersion: 'apps/v1', kind: 'Deployment' },
  HorizontalPodAutoscaler: { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' },
  Namespace: { apiVersion: 'v1', kind: 'Namespace' },
  NetworkPolicy: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
  ClusterRole: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' },
  RbacRole: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role' },
  RoleBinding: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding' },
  ServiceAccount: { apiVersion: 'v1', kind: 'ServiceAccount' },
  Service: { apiVersion: 'v1', kind: 'Service' },
  Ingress: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' },
  Application: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' },
  AppProject: { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject' },
  ConfigMap: { apiVersion: 'v1', kind: 'ConfigMap' },
  IamRole: { apiVersion: 'iam.services.k8s.aws/v1alpha1', kind: 'Role' },
  Table: { apiVersion: 'dynamodb.services.k8s.aws/v1alpha1', kind: 'Table' },
  PodIdentityAssociation: { apiVersion: 'eks.services.k8s.aws/v1alpha1', kind: 'PodIdentityAssociation' },
};
const type = (name: string): ObjectType => {
  const t = T[name];
  if (t === undefined) throw new Error(`no type ${name}`);
  return t;
};

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
    ['RbacRole', 'rules[+]', 'rbac'],
    ['RoleBinding', 'subjects[+]', 'rbac'],
    ['ServiceAccount', 'metadata.annotations."eks.amazonaws.com/role-arn"', 'aws'],
    ['Service', 'spec.type', 'service-type'],
    ['Ingress', 'spec.rules[host=a.example.com]', 'ingress'],
    ['Application', 'spec.syncPolicy.automated.prune', 'argocd-sync-policy'],
    ['Application', 'spec.project', 'argocd-project'],
    ['AppProject', 'spec.destinations[+]', 'argocd-project'],
    // ACK, by API group: who may do what in AWS, and what happens to the data.
    ['IamRole', 'spec.inlinePolicies."guestlist-dynamodb"', 'aws'],
    ['IamRole', 'spec.assumeRolePolicyDocument', 'aws'],
    ['IamRole', 'spec.permissionsBoundary', 'aws'],
    ['IamRole', 'spec.policies[+]', 'aws'],
    ['Table', 'metadata.annotations."services.k8s.aws/deletion-policy"', 'aws'],
    ['Table', 'spec.deletionProtectionEnabled', 'aws'],
    ['Table', 'spec.keySchema[attributeName=seq_num].keyType', 'aws'],
    ['Table', 'spec.sseSpecification.sseType', 'aws'],
    ['Table', 'spec.continuousBackups.pointInTimeRecoveryEnabled', 'aws'],
    ['Table', 'spec.tableName', 'aws'],
    ['PodIdentityAssociation', 'spec.roleARN', 'aws'],
    ['PodIdentityAssociation', 'spec.serviceAccount', 'aws'],
  ])('should flag %s %s as %s', (name, path, risk) => {
    expect(fieldRisk(type(name), path)).toBe(risk);
  });

  it('should keep rbac for Kubernetes RBAC only: ACK IAM Role changes are aws, never rbac', () => {
    expect(fieldRisk(type('IamRole'), 'spec.inlinePolicies."guestlist-dynamodb"')).toBe('aws');
    // Same kind name, another group: not RBAC, and harmless fields of it carry no risk.
    expect(fieldRisk(type('IamRole'), 'spec.description')).toBeUndefined();
    expect(fieldRisk(type('IamRole'), 'spec.tags[key=team].value')).toBeUndefined();
    expect(fieldRisk({ apiVersion: 'example.com/v1', kind: 'Role' }, 'rules[+]')).toBeUndefined();
    expect(fieldRisk({ apiVersion: 'example.com/v1', kind: 'RoleBinding' }, 'subjects[+]')).toBeUndefined();
  });

  it('should not flag harmless fields: a ConfigMap value, annotations, labels, ACK tags and sync waves', () => {
    expect(fieldRisk(type('ConfigMap'), 'data.LOG_LEVEL')).toBeUndefined();
    expect(fieldRisk(type('NetworkPolicy'), 'metadata.labels."app.kubernetes.io/version"')).toBeUndefined();
    expect(fieldRisk(type('Ingress'), 'metadata.annotations."alb.ingress.kubernetes.io/scheme"')).toBe(
      'ingress',
    );
    expect(
      fieldRisk(type('Deployment'), 'spec.template.metadata.annotations."checksum/config"'),
    ).toBeUndefined();
    expect(fieldRisk(type('Table'), 'spec.tags[key=environment].value')).toBeUndefined();
    expect(fieldRisk(type('Table'), 'metadata.labels."app.kubernetes.io/version"')).toBeUndefined();
    expect(fieldRisk(type('Table'), 'metadata.annotations."argocd.argoproj.io/sync-wave"')).toBeUndefined();
    expect(fieldRisk(type('PodIdentityAssociation'), 'spec.tags.environment')).toBeUndefined();
  });
});

describe('risksOf', () => {
  it('should flag a removed object and list risks in their fixed order', () => {
    expect(risksOf(type('Deployment'), 'removed', [])).toEqual(['removed']);
    const fields = [
      { path: 'spec.template.spec.securityContext.runAsUser', change: 'changed' as const },
      { path: 'spec.template.spec.containers[name=a].image', change: 'changed' as const },
    ];
    expect(risksOf(type('Deployment'), 'changed', fields)).toEqual(['image', 'security-context']);
  });

  it('should flag an added LoadBalancer Service but not an added ClusterIP one', () => {
    expect(risksOf(type('Service'), 'added', [], { spec: { type: 'LoadBalancer' } })).toEqual([
      'service-type',
    ]);
    expect(risksOf(type('Service'), 'added', [], { spec: { type: 'ClusterIP' } })).toEqual([]);
    expect(risksOf(type('RbacRole'), 'added', [])).toEqual(['rbac']);
  });

  it('should flag every added or removed ACK object as aws, and an ACK IAM Role never as rbac', () => {
    for (const name of ['IamRole', 'Table', 'PodIdentityAssociation']) {
      expect(risksOf(type(name), 'added', [])).toEqual(['aws']);
      expect(risksOf(type(name), 'removed', [])).toEqual(['removed', 'aws']);
    }
    const policy = [{ path: 'spec.inlinePolicies."guestlist-dynamodb"', change: 'changed' as const }];
    expect(risksOf(type('IamRole'), 'changed', policy)).toEqual(['aws']);
    const tags = [{ path: 'spec.tags[key=team].value', change: 'changed' as const }];
    expect(risksOf(type('IamRole'), 'changed', tags)).toEqual([]);
  });
});
