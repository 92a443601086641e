// The committed admission policy for ACK IAM Role objects (issue #22, item 5), evaluated with a CEL interpreter
// against the committed Roles: every rendered Role passes on its cluster, and a Role that trusts another account, a
// service account of another namespace, drops the boundary or attaches a managed policy is denied.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate } from '@marcbachmann/cel-js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../test/argocd';
import { loadEnvironments } from '../config';

// biome-ignore lint/suspicious/noExplicitAny: rendered manifests read back from YAML
type Json = any;

const read = (path: string): Json => parse(readFileSync(join(REPO_ROOT, path), 'utf8'));
const policyOf = (cluster: string): Json =>
  read(`dist/argocd/validatingadmissionpolicy-guestlist-iam-role-trust-${cluster}.yaml`);

/** The messages of the validations that deny `object` (an empty list: admitted). */
function denials(policy: Json, object: Json): string[] {
  return (policy.spec.validations as { expression: string; message: string }[])
    .filter((v) => evaluate(v.expression, { object }) !== true)
    .map((v) => v.message);
}

const envs = loadEnvironments(join(REPO_ROOT, 'environments'));
const roles = envs.map((env) => ({ env, role: read(`dist/${env.name}/role-guestlist.yaml`) }));

describe('the admission policy on roles.iam.services.k8s.aws, one per cluster', () => {
  it('should be rendered with a Deny binding for each cluster that runs ACK', () => {
    const files = readdirSync(join(REPO_ROOT, 'dist', 'argocd'));
    for (const cluster of new Set(envs.map((e) => e.cluster))) {
      const binding = read(
        `dist/argocd/validatingadmissionpolicybinding-guestlist-iam-role-trust-${cluster}.yaml`,
      );
      expect(binding.spec).toEqual({
        policyName: `guestlist-iam-role-trust-${cluster}`,
        validationActions: ['Deny'],
      });
      expect(policyOf(cluster).spec.failurePolicy).toBe('Fail');
      expect(files).toContain(`application-addon-${cluster}-iam-role-admission.yaml`);
    }
  });

  it('should admit every Role synth renders, on its own cluster', () => {
    expect(roles.length).toBe(3);
    for (const { env, role } of roles) expect(denials(policyOf(env.cluster), role), env.name).toEqual([]);
  });

  it('should deny a Role trusting another account, another namespace, or another service', () => {
    const { env, role } = roles.find((r) => r.env.name === 'prod') as (typeof roles)[number];
    const policy = policyOf(env.cluster);
    const trust = JSON.parse(role.spec.assumeRolePolicyDocument);
    const withTrust = (doc: unknown) => ({
      ...role,
      spec: { ...role.spec, assumeRolePolicyDocument: JSON.stringify(doc) },
    });
    const trustMessage = expect.stringContaining('the trust policy must be the one synth renders');
    // Another account may assume it: no IAM condition can stop this on CreateRole; the cluster must.
    const other = structuredClone(trust);
    other.Statement.push({
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::999999999999:root' },
      Action: 'sts:AssumeRole',
    });
    expect(denials(policy, withTrust(other))).toEqual([trustMessage]);
    // Staging's namespace wrote a Role that trusts prod's service account.
    expect(
      denials(policy, { ...role, metadata: { ...role.metadata, namespace: 'guestlist-staging' } }),
    ).toEqual([trustMessage]);
    // The same document with whitespace (CEL cannot parse JSON: anything but the exact rendered form is refused).
    expect(
      denials(policy, {
        ...role,
        spec: { ...role.spec, assumeRolePolicyDocument: JSON.stringify(trust, null, 1) },
      }),
    ).toEqual([trustMessage]);
    // The nonprod cluster's policy does not admit prod's Role (other EKS cluster, other account).
    expect(denials(policyOf('nonprod'), role)).toContainEqual(trustMessage);
  });

  it('should deny a Role without the boundary, with a managed policy, or outside guestlist-*', () => {
    const { env, role } = roles.find((r) => r.env.name === 'dev') as (typeof roles)[number];
    const policy = policyOf(env.cluster);
    const { permissionsBoundary: _b, ...noBoundary } = role.spec;
    expect(denials(policy, { ...role, spec: noBoundary })).toEqual([
      expect.stringContaining('must carry the permissions boundary'),
    ]);
    expect(
      denials(policy, {
        ...role,
        spec: { ...role.spec, policies: ['arn:aws:iam::aws:policy/AdministratorAccess'] },
      }),
    ).toEqual([expect.stringContaining('no managed policies')]);
    expect(denials(policy, { ...role, spec: { ...role.spec, name: 'admin' } })).toEqual([
      expect.stringContaining('must start with guestlist-'),
    ]);
  });
});
