import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type EnvironmentConfig, loadEnvironments } from '../config';
import { validateSchema } from '../render/schema-gate';
import { SYNC_WAVES } from './guestlist-aws';
import { environmentChart } from './index';
import type { K8sObject } from './k8s-object';

// biome-ignore lint/suspicious/noExplicitAny: tests read rendered manifests at arbitrary paths
type Json = any;

const all = loadEnvironments(join(__dirname, '..', '..', '..', 'environments'));
const env = (name: string) => all.find((e) => e.name === name) as EnvironmentConfig;
const objectsOf = (e: EnvironmentConfig) => environmentChart(e).toJson() as Json[];
const find = (objects: Json[], kind: string, name = 'guestlist') =>
  objects.find((o) => o.kind === kind && o.metadata.name === name);
const wave = (o: Json) => Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);

describe('the AWS resources of an environment (ACK objects)', () => {
  it('should order namespace, then tables and role, then the association, then the workload (sync waves)', () => {
    const objects = objectsOf(env('prod'));
    const namespace = objects.find((o) => o.kind === 'Namespace');
    const tables = objects.filter((o) => o.kind === 'Table');
    const role = find(objects, 'Role');
    const association = find(objects, 'PodIdentityAssociation');
    expect(wave(namespace)).toBe(SYNC_WAVES.namespace);
    expect(tables.map(wave)).toEqual([SYNC_WAVES.tablesAndRole, SYNC_WAVES.tablesAndRole]);
    expect(wave(role)).toBe(SYNC_WAVES.tablesAndRole);
    expect(wave(association)).toBe(SYNC_WAVES.association);
    const rest = objects.filter(
      (o) => !['Namespace', 'Table', 'Role', 'PodIdentityAssociation'].includes(o.kind),
    );
    expect(rest.map(wave).every((w) => w === 0)).toBe(true);
    expect(
      SYNC_WAVES.namespace < SYNC_WAVES.tablesAndRole && SYNC_WAVES.tablesAndRole < SYNC_WAVES.association,
    ).toBe(true);
    expect(SYNC_WAVES.association).toBeLessThan(wave(find(objects, 'Deployment')));
  });

  it('should pass both table names to the service and derive the role ARN for the ServiceAccount (IRSA)', () => {
    const objects = objectsOf(env('dev'));
    expect(find(objects, 'ConfigMap').data).toMatchObject({
      DDB_TABLE: 'GuestList-dev',
      DDB_GUARD_TABLE: 'GuestList-dev-guards',
    });
    expect(find(objects, 'ServiceAccount').metadata.annotations).toEqual({
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::111111111111:role/guestlist-dev',
    });
    expect(find(objects, 'PodIdentityAssociation')).toBeUndefined();
    const trust = JSON.parse(find(objects, 'Role').spec.assumeRolePolicyDocument);
    expect(trust.Statement[0].Principal.Federated).toBe(
      'arn:aws:iam::111111111111:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF',
    );
    // Not protected: the tables go with the environment, and can be deleted.
    const table = find(objects, 'Table');
    expect(table.metadata.annotations['services.k8s.aws/deletion-policy']).toBe('delete');
    expect(table.spec.deletionProtectionEnabled).toBe(false);
  });

  it('should render no role for an existing aws.roleArn, and use that ARN in the annotation and the association', () => {
    const existing = 'arn:aws:iam::333333333333:role/existing-guestlist';
    const irsa = { ...env('dev'), aws: { ...env('dev').aws, roleArn: existing } };
    const irsaObjects = objectsOf(irsa);
    expect(find(irsaObjects, 'Role')).toBeUndefined();
    expect(find(irsaObjects, 'ServiceAccount').metadata.annotations['eks.amazonaws.com/role-arn']).toBe(
      existing,
    );
    const pod = { ...env('prod'), aws: { ...env('prod').aws, roleArn: existing } };
    const podObjects = objectsOf(pod);
    expect(find(podObjects, 'Role')).toBeUndefined();
    expect(find(podObjects, 'PodIdentityAssociation').spec.roleARN).toBe(existing);
  });

  it('should render the adoption policy with dynamodb.adopt, and every ACK object should pass the strict schema', () => {
    const adopting = { ...env('prod'), dynamodb: { ...env('prod').dynamodb, adopt: true } };
    const objects = objectsOf(adopting);
    const tables = objects.filter((o) => o.kind === 'Table');
    expect(tables.map((t) => t.metadata.annotations['services.k8s.aws/adoption-policy'])).toEqual([
      'adopt-or-create',
      'adopt-or-create',
    ]);
    expect(
      find(objectsOf(env('prod')), 'Table').metadata.annotations['services.k8s.aws/adoption-policy'],
    ).toBe(undefined);
    for (const e of [...all, adopting]) {
      for (const o of objectsOf(e).filter((x: K8sObject) => x.apiVersion.includes('.services.k8s.aws/')))
        expect(validateSchema(o), `${e.name} ${o.kind}/${o.metadata.name}`).toEqual([]);
    }
    // The strict schema refuses a field that is not one of the kind's.
    const table = structuredClone(find(objects, 'Table'));
    table.spec.billingMod = 'PAY_PER_REQUEST';
    expect(validateSchema(table).join('\n')).toContain('billingMod');
  });
});
