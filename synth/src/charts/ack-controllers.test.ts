import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { AppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kustomize, REPO_ROOT } from '../../test/argocd';
import { loadEnvironments } from '../config';
import { capabilityRoleArn, hubAccessRoleArn } from './guestlist-hub';
import type { K8sObject } from './k8s-object';

// biome-ignore lint/suspicious/noExplicitAny: the test reads built manifests at arbitrary paths
type Json = any;

const ACK = join(REPO_ROOT, 'argocd', 'ack');

const CONTROLLERS = ['dynamodb', 'iam', 'eks'] as const;
/** IAM actions that write a role's permissions: allowed to the iam controller only with the boundary. */
const WRITES = [
  'iam:CreateRole',
  'iam:PutRolePolicy',
  'iam:PutRolePermissionsBoundary',
  'iam:DeleteRolePolicy',
];

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: string | string[];
  Principal?: Record<string, string | string[]>;
  Condition?: Record<string, Record<string, string>>;
}
const policy = (file: string): Statement[] =>
  JSON.parse(readFileSync(join(ACK, 'iam', file), 'utf8')).Statement as Statement[];
const list = (v: string | string[] | undefined) => (v === undefined ? [] : [v].flat());

/** An IAM ARN pattern as a RegExp (`*` any run of characters) after putting the cluster's values in. */
function arnPattern(pattern: string, values: Record<string, string>): RegExp {
  let filled = pattern;
  for (const [k, v] of Object.entries(values)) filled = filled.replaceAll(k, v);
  return new RegExp(
    `^${filled
      .split('*')
      .map((p) => p.replace(/[.?+^$()[\]{}|\\/]/g, '\\$&'))
      .join('.*')}$`,
  );
}

/** Whether `action` on `arn` is allowed by one of the statements (no conditions evaluated). */
function allows(
  statements: readonly Statement[],
  action: string,
  arn: string,
  values: Record<string, string>,
) {
  return statements.some(
    (s) =>
      s.Effect === 'Allow' &&
      list(s.Action).includes(action) &&
      list(s.Resource).some((r) => arnPattern(r, values).test(arn)),
  );
}

/** Every rendered object of a kind in dist/<env>/, with the environment's name. */
function rendered(kind: string): { env: string; obj: Json }[] {
  const dist = join(REPO_ROOT, 'dist');
  return readdirSync(dist)
    .filter((env) => env !== 'argocd')
    .flatMap((env) =>
      readdirSync(join(dist, env))
        .map((f) => parse(readFileSync(join(dist, env, f), 'utf8')))
        .filter((o) => o.kind === kind)
        .map((obj) => ({ env, obj })),
    );
}

/** The committed dist/argocd/ objects by `Kind/name`. */
function argocdObjects(): Map<string, Json> {
  const dir = join(REPO_ROOT, 'dist', 'argocd');
  return new Map(
    readdirSync(dir).map((f) => {
      const o = parse(readFileSync(join(dir, f), 'utf8'));
      return [`${o.kind}/${o.metadata.name}`, o];
    }),
  );
}

describe('the ACK controllers: rendered add-on Applications on each cluster the environments use (finding 3)', () => {
  const byKey = argocdObjects();
  const project = byKey.get('AppProject/platform-addons');
  const envs = loadEnvironments(join(REPO_ROOT, 'environments'));
  const repoSecret = kustomize(ACK).find(
    (o: K8sObject) => o.kind === 'Secret' && o.metadata.name === 'repo-aws-controllers-k8s',
  ) as Json;

  it("should install each controller on the cluster of every environment, by that cluster's destination", () => {
    new AppProject(project).validate();
    for (const env of envs) {
      const entry = env.clusterEntry;
      if (!entry) throw new Error(`${env.name} has no cluster entry`);
      const envApp = byKey.get(`Application/guestlist-${env.name}`);
      const ack = entry.addons.ack;
      if (ack === undefined || ack === 'eks-capability' || 'hub' in ack) {
        throw new Error(`${entry.name} installs no ACK`);
      }
      for (const c of CONTROLLERS) {
        const app = byKey.get(`Application/addon-${entry.name}-ack-${c}`);
        new Application(app).validate();
        // The same cluster the environment's Table, Role and association are applied to: before this change the
        // controllers went to Argo CD's own cluster only, so prod's ACK objects had no CRD on prod-eks.
        const { namespace: _ns, ...cluster } = app.spec.destination;
        const { namespace: _envNs, ...envCluster } = envApp.spec.destination;
        expect(cluster, `${env.name} ${c}`).toEqual(envCluster);
        expect(app.spec.destination.namespace).toBe('ack-system');
        expect(app.spec.project).toBe('platform-addons');
        expect(app.spec.source.chart).toBe(`${c}-chart`);
        expect(app.spec.source.targetRevision).toBe(ack[c]);
        expect(project.spec.sourceRepos).toContain(app.spec.source.repoURL);
        expect(project.spec.destinations).toContainEqual(app.spec.destination);
        const values = app.spec.source.helm.valuesObject;
        expect(values.serviceAccount.name).toBe(`ack-${c}-controller`);
        expect(values.aws.region).toBe(entry.region);
        expect(values.deletionPolicy).toBe('retain');
        // Written explicitly for every controller: only the DynamoDB controller may adopt (existing tables).
        expect(values.featureGates, c).toEqual({ ResourceAdoption: c === 'dynamodb' });
        expect(app.spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
        expect(Number(app.metadata.annotations['argocd.argoproj.io/sync-wave'])).toBeLessThan(0);
      }
    }
    // Argo CD reads ACK's OCI registry through the repository Secret the bootstrap applies.
    expect(repoSecret.stringData).toEqual({
      name: 'aws-controllers-k8s',
      type: 'helm',
      url: 'public.ecr.aws/aws-controllers-k8s',
      enableOCI: 'true',
    });
    expect(JSON.stringify(repoSecret)).not.toMatch(/password|token|key/i);
    expect(JSON.stringify(project.spec)).not.toContain('*');
  });

  it('should give each controller a role its own service account alone may assume, in no-wildcard actions', () => {
    for (const c of CONTROLLERS) {
      const [trust] = policy(`${c}-controller-trust.json`);
      expect(trust?.Principal).toEqual({ Service: 'pods.eks.amazonaws.com' });
      expect(list(trust?.Action).sort()).toEqual(['sts:AssumeRole', 'sts:TagSession']);
      expect(trust?.Condition?.StringEquals).toEqual({
        'aws:RequestTag/eks-cluster-name': 'CLUSTER_NAME',
        'aws:RequestTag/kubernetes-namespace': 'ack-system',
        'aws:RequestTag/kubernetes-service-account': `ack-${c}-controller`,
      });
      for (const s of policy(`${c}-controller-policy.json`)) {
        for (const a of list(s.Action)) expect(a, `${c} ${s.Sid}`).not.toContain('*');
        for (const r of list(s.Resource))
          expect(r, `${c} ${s.Sid}`).toMatch(/^arn:aws:[a-z]+:(REGION)?:ACCOUNT_ID:/);
      }
    }
  });

  it("should let a hub's controllers, and nothing else, assume the ack-hub-access role of a spoke account (CARM)", () => {
    const [trust, ...more] = policy('hub-access-trust.json');
    expect(more).toEqual([]);
    // The controllers' credentials come from EKS Pod Identity, whose session tags are transitive: the next
    // AssumeRole carries them, so it also needs sts:TagSession (AWS, EKS "Cross-account tags").
    expect(trust?.Action).toEqual(['sts:AssumeRole', 'sts:TagSession']);
    expect(list(trust?.Principal?.AWS).sort()).toEqual(
      CONTROLLERS.map((c) => `arn:aws:iam::HUB_ACCOUNT_ID:role/ack-${c}-controller`).sort(),
    );
    const [assume, ...others] = policy('hub-assume-policy.json');
    expect(others).toEqual([]);
    expect(assume?.Action).toEqual(['sts:AssumeRole', 'sts:TagSession']);
    // Exactly the ARN the account map renders for a spoke account.
    expect(assume?.Resource).toBe(hubAccessRoleArn({ accountId: 'SPOKE_ACCOUNT_ID', region: 'eu-west-1' }));
  });

  it("should let a managed-ACK hub's capability role, and nothing else, assume the ack-hub-access role of a spoke account (IAMRoleSelector)", () => {
    // AWS's "Configure ACK permissions", Multi-account management: the target role trusts the source account's
    // capability role for sts:AssumeRole and sts:TagSession (the capability sets session tags on every call).
    const [trust, ...more] = policy('hub-access-trust-capability.json');
    expect(more).toEqual([]);
    expect(list(trust?.Action).sort()).toEqual(['sts:AssumeRole', 'sts:TagSession']);
    expect(list(trust?.Principal?.AWS)).toEqual([
      capabilityRoleArn({ accountId: 'HUB_ACCOUNT_ID', region: 'eu-west-1' }),
    ]);
    const [assume, ...others] = policy('hub-capability-assume-policy.json');
    expect(others).toEqual([]);
    expect(list(assume?.Action).sort()).toEqual(['sts:AssumeRole', 'sts:TagSession']);
    // Exactly the ARN the IAMRoleSelector renders for a spoke account.
    expect(assume?.Resource).toBe(hubAccessRoleArn({ accountId: 'SPOKE_ACCOUNT_ID', region: 'eu-west-1' }));
  });

  it("should let the controllers manage every table, role and association the environments render, in their cluster's account", () => {
    const envs = new Map(loadEnvironments(join(REPO_ROOT, 'environments')).map((e) => [e.name, e]));
    const values = (env: string) => {
      const e = envs.get(env);
      const entry = e?.clusterEntry;
      if (!e || !entry) throw new Error(`${env} has no cluster entry`);
      return { REGION: e.dynamodb.region, ACCOUNT_ID: entry.accountId, CLUSTER_NAME: entry.eksClusterName };
    };
    const dynamodb = policy('dynamodb-controller-policy.json');
    const tables = rendered('Table');
    expect(tables.length).toBeGreaterThanOrEqual(6);
    for (const { env, obj } of tables) {
      const v = values(env);
      const arn = `arn:aws:dynamodb:${v.REGION}:${v.ACCOUNT_ID}:table/${obj.spec.tableName}`;
      for (const a of ['dynamodb:CreateTable', 'dynamodb:DescribeTable', 'dynamodb:UpdateContinuousBackups'])
        expect(allows(dynamodb, a, arn, v), `${a} ${arn}`).toBe(true);
    }
    const iam = policy('iam-controller-policy.json');
    const boundary = policy('guestlist-service-boundary.json');
    const roles = rendered('Role');
    expect(roles.length).toBeGreaterThanOrEqual(3);
    for (const { env, obj } of roles) {
      const v = values(env);
      const arn = `arn:aws:iam::${v.ACCOUNT_ID}:role/${obj.spec.name}`;
      for (const a of ['iam:CreateRole', 'iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy'])
        expect(allows(iam, a, arn, v), `${a} ${arn}`).toBe(true);
      // Never an arbitrary role of the account.
      expect(allows(iam, 'iam:CreateRole', `arn:aws:iam::${v.ACCOUNT_ID}:role/admin`, v)).toBe(false);
      // Roles are written only with the boundary the rendered role carries ...
      for (const s of iam.filter((x) => list(x.Action).some((a) => WRITES.includes(a)))) {
        expect(
          list(s.Action).every((a) => WRITES.includes(a)),
          s.Sid,
        ).toBe(true);
        const required = s.Condition?.StringEquals?.['iam:PermissionsBoundary'] ?? '';
        expect(arnPattern(required, v).test(obj.spec.permissionsBoundary), `${env} ${s.Sid}`).toBe(true);
      }
      // ... and that boundary lets through every permission the role's own policy grants.
      for (const json of Object.values(obj.spec.inlinePolicies as Record<string, string>)) {
        for (const s of JSON.parse(json).Statement as Statement[])
          for (const a of list(s.Action))
            for (const r of list(s.Resource))
              expect(allows(boundary, a, r, v), `${env} ${a} ${r}`).toBe(true);
      }
    }
    // The boundary is no wider than what the rendered roles use: the same actions, nothing else.
    const used = new Set(
      roles.flatMap(({ obj }) =>
        Object.values(obj.spec.inlinePolicies as Record<string, string>).flatMap((json) =>
          (JSON.parse(json).Statement as Statement[]).flatMap((s) => list(s.Action)),
        ),
      ),
    );
    expect(boundary.flatMap((s) => list(s.Action)).sort()).toEqual([...used].sort());
    expect(iam.some((s) => list(s.Action).includes('iam:DeleteRolePermissionsBoundary'))).toBe(false);
    expect(iam.some((s) => list(s.Action).some((a) => a.startsWith('iam:Attach')))).toBe(false);
    const eks = policy('eks-controller-policy.json');
    const associations = rendered('PodIdentityAssociation');
    expect(associations.length).toBeGreaterThanOrEqual(1);
    for (const { env, obj } of associations) {
      const v = values(env);
      const cluster = `arn:aws:eks:${v.REGION}:${v.ACCOUNT_ID}:cluster/${obj.spec.clusterName}`;
      expect(allows(eks, 'eks:CreatePodIdentityAssociation', cluster, v)).toBe(true);
      expect(allows(eks, 'iam:PassRole', obj.spec.roleARN, v)).toBe(true);
      expect(allows(eks, 'eks:CreatePodIdentityAssociation', `${cluster}-other`, v)).toBe(false);
    }
  });
});
