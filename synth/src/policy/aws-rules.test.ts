import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFolder } from '../../test/dist-findings';
import { environmentChart } from '../charts';
import type { K8sObject } from '../charts/k8s-object';
import { type EnvironmentConfig, loadEnvironments } from '../config';
import { awsLeastPrivilege } from './aws-least-privilege';
import { awsOwnResources } from './aws-own-resources';
import { awsRetain } from './aws-retain';
import { awsTrust } from './aws-trust';

// biome-ignore lint/suspicious/noExplicitAny: tests mutate rendered manifests at arbitrary paths
type Json = any;

const all = loadEnvironments(join(__dirname, '..', '..', '..', 'environments'));
const env = (name: string) => all.find((e) => e.name === name) as EnvironmentConfig;
const others = (name: string) => all.filter((e) => e.name !== name);
/** A fresh render of one committed environment. */
const objectsOf = (name: string) => environmentChart(env(name)).toJson() as K8sObject[];
const find = (objects: K8sObject[], kind: string, name = 'guestlist'): Json =>
  objects.find((o) => o.kind === kind && o.metadata.name === name);
const edit = (json: string, change: (doc: Json) => void) => {
  const doc = JSON.parse(json);
  change(doc);
  return JSON.stringify(doc);
};

describe('aws-least-privilege', () => {
  it('should pass the rendered roles and fail a wildcard action or resource', () => {
    for (const name of ['dev', 'prod'])
      expect(awsLeastPrivilege.check({ objects: objectsOf(name) })).toEqual([]);
    const objects = objectsOf('dev');
    const role = find(objects, 'Role');
    role.spec.inlinePolicies['guestlist-dynamodb'] = edit(
      role.spec.inlinePolicies['guestlist-dynamodb'],
      (d) => {
        d.Statement[0].Action.push('dynamodb:*');
        d.Statement[1].Resource = 'arn:aws:dynamodb:eu-west-1:111111111111:table/*';
      },
    );
    delete role.spec.permissionsBoundary;
    expect(awsLeastPrivilege.check({ objects }).map((v) => v.message)).toEqual([
      'has no permissionsBoundary (the managed policy that bounds what its policies can grant)',
      'inline policy "guestlist-dynamodb" statement GuestsTable allows action "dynamodb:*" (a wildcard)',
      'inline policy "guestlist-dynamodb" statement GuardTable applies to resource "arn:aws:dynamodb:eu-west-1:111111111111:table/*" (a wildcard)',
    ]);
  });
});

describe('aws-trust', () => {
  it('should pass IRSA (dev) and Pod Identity (prod), and fail a trust that names another service account', () => {
    expect(awsTrust.check({ objects: objectsOf('dev'), environment: env('dev') })).toEqual([]);
    expect(awsTrust.check({ objects: objectsOf('prod'), environment: env('prod') })).toEqual([]);
    const dev = objectsOf('dev');
    const role = find(dev, 'Role');
    role.spec.assumeRolePolicyDocument = edit(role.spec.assumeRolePolicyDocument, (d) => {
      const cond = d.Statement[0].Condition;
      cond.StringLike = cond.StringEquals;
      delete cond.StringEquals;
    });
    const prod = objectsOf('prod');
    find(prod, 'PodIdentityAssociation').spec.serviceAccount = 'default';
    const prodRole = find(prod, 'Role');
    prodRole.spec.assumeRolePolicyDocument = edit(prodRole.spec.assumeRolePolicyDocument, (d) => {
      d.Statement[0].Condition.StringEquals['aws:RequestTag/kubernetes-namespace'] = 'guestlist-dev';
    });
    expect(awsTrust.check({ objects: dev, environment: env('dev') }).map((v) => v.message)).toEqual([
      'trust statement Irsa uses StringLike (wildcards); name the service account exactly',
      "trust statement Irsa trusts subject (none), not this environment's system:serviceaccount:guestlist-dev:guestlist",
    ]);
    expect(awsTrust.check({ objects: prod, environment: env('prod') }).map((v) => v.message)).toEqual([
      "trust statement EksPodIdentity trusts service account guestlist-dev/guestlist, not this environment's guestlist-prod/guestlist (StringEquals on aws:RequestTag/kubernetes-namespace and kubernetes-service-account)",
      "associates service account guestlist-prod/default, not this environment's guestlist-prod/guestlist",
    ]);
  });
});

describe('aws-retain', () => {
  it("should pass prod's retained tables and fail a protected table that would be deleted", () => {
    expect(awsRetain.check({ objects: objectsOf('prod'), environment: env('prod') })).toEqual([]);
    // dev is not protected: its AWS resources go with the environment, explicitly.
    expect(awsRetain.check({ objects: objectsOf('dev'), environment: env('dev') })).toEqual([]);
    const objects = objectsOf('prod');
    const table = find(objects, 'Table', 'guestlist-guards');
    table.metadata.annotations['services.k8s.aws/deletion-policy'] = 'delete';
    table.spec.deletionProtectionEnabled = false;
    expect(awsRetain.check({ objects, environment: env('prod') })).toEqual([
      {
        rule: 'aws-retain',
        object: 'Table/guestlist-guards',
        message:
          'annotation services.k8s.aws/deletion-policy is "delete"; in a protected environment every ACK object must be retained ("retain")',
        key: 'protected',
      },
      {
        rule: 'aws-retain',
        object: 'Table/guestlist-guards',
        message: 'spec.deletionProtectionEnabled is not true in a protected environment',
        key: 'protected',
      },
    ]);
  });

  it("should fail a protected environment's role and association without retain (their render before this rule)", () => {
    const objects = objectsOf('prod');
    for (const kind of ['Role', 'PodIdentityAssociation'])
      delete find(objects, kind).metadata.annotations['services.k8s.aws/deletion-policy'];
    expect(
      awsRetain.check({ objects, environment: env('prod') }).map((v) => `${v.object}: ${v.message}`),
    ).toEqual(
      ['Role/guestlist', 'PodIdentityAssociation/guestlist'].map(
        (o) =>
          `${o}: annotation services.k8s.aws/deletion-policy is not set; it must be "retain" or "delete" (without it the controller's default decides, and the EKS managed ACK deletes)`,
      ),
    );
    const renamed = objectsOf('prod');
    find(renamed, 'Role').metadata.annotations['services.k8s.aws/deletion-policy'] = 'keep';
    expect(awsRetain.check({ objects: renamed, environment: env('prod') })).toHaveLength(1);
  });

  it('should hold for every committed ACK object (before this rule, prod and staging roles had none)', () => {
    const dist = join(__dirname, '..', '..', '..', 'dist');
    for (const e of all)
      expect(awsRetain.check({ objects: readFolder(dist, e.name), environment: e }), e.name).toEqual([]);
  });

  it('should require the annotation in an unprotected environment too, with either value', () => {
    const objects = objectsOf('dev');
    expect(find(objects, 'Role').metadata.annotations['services.k8s.aws/deletion-policy']).toBe('delete');
    delete find(objects, 'Table').metadata.annotations['services.k8s.aws/deletion-policy'];
    expect(awsRetain.check({ objects, environment: env('dev') }).map((v) => v.object)).toEqual([
      'Table/guestlist',
    ]);
  });
});

describe('aws-own-resources', () => {
  it("should pass every environment's own names and fail another environment's table or role", () => {
    for (const e of all)
      expect(
        awsOwnResources.check({ objects: objectsOf(e.name), environment: e, others: others(e.name) }),
      ).toEqual([]);
    // staging pointed at prod's table by hand: refused in its ConfigMap, Table and policy, naming prod.
    const staging = { ...env('staging'), dynamodb: { ...env('staging').dynamodb, table: 'GuestList-prod' } };
    const prodLike = { ...env('prod'), clusterEntry: env('staging').clusterEntry } as EnvironmentConfig;
    const objects = environmentChart(staging).toJson() as K8sObject[];
    const messages = awsOwnResources
      .check({ objects, environment: staging, others: [prodLike, env('dev')] })
      .map((v) => `${v.object} ${v.message} [${v.key}]`);
    expect(messages).toContain(
      'Table/guestlist names table "GuestList-prod" (spec.tableName), which belongs to environment prod (environments/prod.yaml); an environment uses only its own tables and role [dynamodb.table]',
    );
    expect(messages).toHaveLength(6);
    // A role ARN written by hand that is not this environment's.
    const dev = objectsOf('dev');
    find(dev, 'ServiceAccount').metadata.annotations['eks.amazonaws.com/role-arn'] =
      'arn:aws:iam::111111111111:role/admin';
    expect(awsOwnResources.check({ objects: dev, environment: env('dev'), others: others('dev') })).toEqual([
      {
        rule: 'aws-own-resources',
        object: 'ServiceAccount/guestlist',
        message:
          'names role "arn:aws:iam::111111111111:role/admin" (the eks.amazonaws.com/role-arn annotation), which is not one of this environment\'s (guestlist-dev)',
        key: 'aws.roleArn',
      },
    ]);
  });
});
