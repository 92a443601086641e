// The ACK hub pattern on EKS Capabilities, through the user's door: a copy of the repository where nonprod runs the
// managed Argo CD and the managed ACK (`argocd: eks-capability`, `ack: eks-capability`) and prod, in another
// account, says `addons.ack: { hub: nonprod }` (one Argo CD for all, so prod is `eks-capability` for Argo CD too),
// rendered by the real CLI as a process. Instead of CARM's account map the hub gets one IAMRoleSelector mapping
// prod's hub namespace to prod's `ack-hub-access` role, synced by its own Application in platform-addons, which may
// manage that selector by name only; doctor names the capability role the spoke role must trust.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readTree } from '../../test/cli';
import { copyRepo, type RepoEdits, runLauncher as synth } from '../../test/launcher';
import { validateSchema } from '../render/schema-gate';

const PROD_ENTRY = 'environments/clusters/prod.yaml';
const NONPROD_ENTRY = 'environments/clusters/nonprod.yaml';
const ACK_VERSIONS = /ack:\n {4}dynamodb: .*\n {4}iam: .*\n {4}eks: .*\n/;
const PROD_ARN = 'arn:aws:eks:eu-west-1:333333333333:cluster/prod-eks';
const HUB_ARN = 'arn:aws:eks:eu-west-1:111111111111:cluster/guestlist-nonprod';

// biome-ignore lint/suspicious/noExplicitAny: rendered manifests read back from YAML
type Json = any;

/** The managed hub: nonprod runs both capabilities, prod names it as its ACK hub and is reached by ARN. */
const MANAGED: Record<string, (text: string) => string> = {
  [NONPROD_ENTRY]: (t) =>
    t
      .replace('argocd: in-cluster\n', 'argocd: eks-capability\n')
      .replace(ACK_VERSIONS, 'ack: eks-capability\n'),
  [PROD_ENTRY]: (t) =>
    t
      .replace('argocd:\n  name: prod-eks\n', 'argocd: eks-capability\n')
      .replace(ACK_VERSIONS, 'ack:\n    hub: nonprod\n'),
};

/** A fresh copy of the repository with `edits` applied. */
const copy = (edits: RepoEdits) => copyRepo('synth-managed-hub-', edits);

const works: string[] = [];
afterAll(() => {
  for (const w of works) rmSync(w, { recursive: true, force: true });
});

describe('prod managed from a hub running the managed ACK of EKS Capabilities', () => {
  let work: string;
  const read = (path: string): Json => parse(readFileSync(join(work, path), 'utf8'));
  beforeAll(() => {
    work = copy(MANAGED);
    works.push(work);
    const r = synth(work);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });

  it('should map exactly prod’s hub namespace to the ack-hub-access role of prod’s account with one IAMRoleSelector', () => {
    const selector = read('dist/argocd/iamroleselector-guestlist-prod-aws.yaml');
    expect(selector).toMatchObject({
      apiVersion: 'services.k8s.aws/v1alpha1',
      kind: 'IAMRoleSelector',
      metadata: { name: 'guestlist-prod-aws' },
      spec: {
        arn: 'arn:aws:iam::333333333333:role/ack-hub-access',
        namespaceSelector: { names: ['guestlist-prod-aws'] },
      },
    });
    // Cluster-scoped, and configuration rather than an AWS resource: no namespace, nothing else in the spec.
    expect(selector.metadata.namespace).toBeUndefined();
    expect(Object.keys(selector.spec).sort()).toEqual(['arn', 'namespaceSelector']);
    expect(validateSchema(selector)).toEqual([]);
    const files = Object.keys(readTree(work));
    expect(files.filter((f) => f.includes('iamroleselector'))).toEqual([
      'dist/argocd/iamroleselector-guestlist-prod-aws.yaml',
    ]);
  });

  it('should render no CARM: no account map, no map Application, no owner-account-id on the hub namespace', () => {
    const files = Object.keys(readTree(work));
    expect(files.filter((f) => f.includes('ack-role-account-map') || f.includes('ack-account-map'))).toEqual(
      [],
    );
    const ns = read('dist/prod-aws/namespace-guestlist-prod-aws.yaml');
    expect(ns.metadata.annotations['services.k8s.aws/owner-account-id']).toBeUndefined();
    expect(ns.metadata.annotations['services.k8s.aws/default-region']).toBe('eu-west-1');
    // The managed ACK deletes by default: prod's AWS objects keep saying retain.
    for (const f of [
      'table-guestlist.yaml',
      'role-guestlist.yaml',
      'podidentityassociation-guestlist.yaml',
    ]) {
      expect(read(`dist/prod-aws/${f}`).metadata.annotations['services.k8s.aws/deletion-policy'], f).toBe(
        'retain',
      );
    }
  });

  it('should sync the selector to the hub by its ARN, in platform-addons, which may manage that selector by name only', () => {
    const app = read('dist/argocd/application-addon-nonprod-ack-role-selectors.yaml');
    expect(app.spec.project).toBe('platform-addons');
    expect(app.spec.destination).toEqual({ server: HUB_ARN, namespace: 'kube-system' });
    expect(app.spec.source.directory.include).toBe('iamroleselector-guestlist-prod-aws.yaml');
    const project = read('dist/argocd/appproject-platform-addons.yaml');
    const selectors = project.spec.clusterResourceWhitelist.filter(
      (k: Json) => k.group === 'services.k8s.aws',
    );
    expect(selectors).toEqual([
      { group: 'services.k8s.aws', kind: 'IAMRoleSelector', name: 'guestlist-prod-aws' },
    ]);
    // Neither environment project may touch the selector: prod's hub project keeps the Namespace by name only.
    for (const p of ['guestlist-prod-aws', 'guestlist-prod']) {
      const own = read(`dist/argocd/appproject-${p}.yaml`);
      expect(JSON.stringify(own.spec.clusterResourceWhitelist), p).not.toContain('IAMRoleSelector');
    }
    const hubProject = read('dist/argocd/appproject-guestlist-prod-aws.yaml');
    expect(hubProject.spec.destinations).toEqual([{ server: HUB_ARN, namespace: 'guestlist-prod-aws' }]);
    expect(read('dist/argocd/appproject-guestlist-prod.yaml').spec.destinations).toEqual([
      { server: PROD_ARN, namespace: 'guestlist-prod' },
    ]);
    // The managed capability installs ACK: no ACK chart Application on either cluster.
    const files = Object.keys(readTree(work));
    expect(files.filter((f) => /application-addon-(nonprod|prod)-ack-(dynamodb|iam|eks)/.test(f))).toEqual(
      [],
    );
  });

  it('should have doctor list the spoke role with the capability role it must trust, and the aws command that checks it', () => {
    const r = synth(work, 'doctor', 'prod');
    expect(r.out).toContain(
      'environments/clusters/prod.yaml:11 ack-hub-access: arn:aws:iam::333333333333:role/ack-hub-access [prerequisite] (prod)',
    );
    expect(r.out).toContain(
      'expect a trust policy naming arn:aws:iam::111111111111:role/ack-capability with sts:AssumeRole and sts:TagSession (argocd/ack/iam/hub-access-trust-capability.json',
    );
    expect(r.out).toContain('IAMRoleSelector guestlist-prod-aws names');
    expect(r.out).toContain(
      'check: aws iam get-role --role-name ack-hub-access --query Role.AssumeRolePolicyDocument --output json',
    );
    expect(r.out).toContain(
      'check: kubectl --context nonprod get crd tables.dynamodb.services.k8s.aws roles.iam.services.k8s.aws podidentityassociations.eks.services.k8s.aws iamroleselectors.services.k8s.aws',
    );
  });

  it('should be what --check finds, and drop the selector with prod by --allow-remove prod', () => {
    expect(synth(work, '--check').code).toBe(0);
    rmSync(join(work, 'environments/prod.yaml'));
    const r = synth(work, '--allow-remove', 'prod');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(existsSync(join(work, 'dist/argocd/iamroleselector-guestlist-prod-aws.yaml'))).toBe(false);
    expect(existsSync(join(work, 'dist/argocd/application-addon-nonprod-ack-role-selectors.yaml'))).toBe(
      false,
    );
    const project = read('dist/argocd/appproject-platform-addons.yaml');
    expect(JSON.stringify(project.spec.clusterResourceWhitelist)).not.toContain('IAMRoleSelector');
  });
});

describe('a managed hub that cannot be one', () => {
  const refusedWith = (edits: Record<string, (text: string) => string>, expected: string) => {
    const work = copy(edits);
    works.push(work);
    const before = readTree(work);
    const r = synth(work);
    expect(r.code).toBe(1);
    const lines = r.err.split('\n').filter((l) => l.length > 0 && !l.startsWith('synth:'));
    expect(lines).toEqual([expected]);
    expect(readTree(work)).toEqual(before);
  };

  it('should refuse a managed-ACK spoke naming an unknown hub, with one line', () => {
    refusedWith(
      {
        ...MANAGED,
        [PROD_ENTRY]: (t) =>
          (MANAGED[PROD_ENTRY] as (s: string) => string)(t).replace('hub: nonprod', 'hub: nonprd'),
      },
      'environments/clusters/prod.yaml:11:10 addons.ack.hub: "nonprd" is not a cluster entry (no environments/clusters/nonprd.yaml; known: nonprod); the hub must be a cluster entry that runs ACK',
    );
  });

  it('should still refuse a self-managed Argo CD entry beside the managed one, with one line', () => {
    refusedWith(
      { ...MANAGED, [PROD_ENTRY]: (t) => t.replace(ACK_VERSIONS, 'ack:\n    hub: nonprod\n') },
      'environments/clusters/nonprod.yaml:11:9 argocd: "eks-capability" while environments/clusters/prod.yaml is reached by a self-managed Argo CD; one Argo CD delivers every environment, so every entry says "eks-capability" or none does',
    );
  });
});
