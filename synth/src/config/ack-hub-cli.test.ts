// The ACK hub pattern through the user's door: a copy of the repository whose prod cluster entry says
// `addons.ack: { hub: nonprod }`, rendered by the real CLI as a process. prod's tables, role and association leave
// dist/prod/ for dist/prod-aws/, synced by their own Application and project to the hub; the hub gets the CARM
// account map (or, running the managed ACK, an IAMRoleSelector) and admits prod's Role with prod's own trust
// document. A hub naming itself, an unknown entry or a hub of a hub is refused with one line at its key, and dist/
// is left as it was.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate } from '@marcbachmann/cel-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readTree } from '../../test/cli';
import { copyRepo, type RepoEdits, runLauncher as synth } from '../../test/launcher';

const PROD_ENTRY = 'environments/clusters/prod.yaml';
const ACK_VERSIONS = /ack:\n {4}dynamodb: .*\n {4}iam: .*\n {4}eks: .*\n/;

// biome-ignore lint/suspicious/noExplicitAny: rendered manifests read back from YAML
type Json = any;

/** A fresh copy of the repository with `edits` applied. */
const copy = (edits: RepoEdits) => copyRepo('synth-hub-', edits);

const works: string[] = [];
afterAll(() => {
  for (const w of works) rmSync(w, { recursive: true, force: true });
});

describe('prod managed from the nonprod hub', () => {
  let work: string;
  const read = (path: string): Json => parse(readFileSync(join(work, path), 'utf8'));
  beforeAll(() => {
    work = copy({ [PROD_ENTRY]: (t) => t.replace(ACK_VERSIONS, 'ack:\n    hub: nonprod\n') });
    works.push(work);
    const r = synth(work);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });

  it('should move the ACK objects out of dist/prod/ into dist/prod-aws/, in a namespace that names the account', () => {
    for (const f of ['table-guestlist.yaml', 'table-guestlist-guards.yaml', 'role-guestlist.yaml']) {
      expect(existsSync(join(work, 'dist/prod', f)), f).toBe(false);
      expect(read(`dist/prod-aws/${f}`).metadata.namespace).toBe('guestlist-prod-aws');
    }
    const ns = read('dist/prod-aws/namespace-guestlist-prod-aws.yaml');
    expect(ns.metadata.annotations).toMatchObject({
      'services.k8s.aws/owner-account-id': '333333333333',
      'services.k8s.aws/default-region': 'eu-west-1',
      'guestlist/protected': 'true',
    });
    // ARNs, the association's cluster and the trust still come from prod's own (spoke) entry.
    const role = read('dist/prod-aws/role-guestlist.yaml');
    expect(role.spec.permissionsBoundary).toBe('arn:aws:iam::333333333333:policy/guestlist-service-boundary');
    expect(JSON.parse(role.spec.assumeRolePolicyDocument).Statement[0].Condition.StringEquals).toEqual({
      'aws:RequestTag/eks-cluster-name': 'prod-eks',
      'aws:RequestTag/kubernetes-namespace': 'guestlist-prod',
      'aws:RequestTag/kubernetes-service-account': 'guestlist',
    });
    const assoc = read('dist/prod-aws/podidentityassociation-guestlist.yaml');
    expect(assoc.spec).toMatchObject({ clusterName: 'prod-eks', namespace: 'guestlist-prod' });
    // The workload still reads its tables by name.
    expect(read('dist/prod/configmap-guestlist.yaml').data.DDB_TABLE).toBe('GuestList-prod');
  });

  it('should sync them with an Application and a project of their own, to exactly the hub namespace', () => {
    const app = read('dist/argocd/application-guestlist-prod-aws.yaml');
    const onHub = { server: 'https://kubernetes.default.svc', namespace: 'guestlist-prod-aws' };
    expect(app.spec.destination).toEqual(onHub);
    expect(app.spec.source.path).toBe('dist/prod-aws');
    expect(app.spec.project).toBe('guestlist-prod-aws');
    const project = read('dist/argocd/appproject-guestlist-prod-aws.yaml');
    expect(project.spec.destinations).toEqual([onHub]);
    expect(project.spec.clusterResourceWhitelist).toEqual([
      { group: '', kind: 'Namespace', name: 'guestlist-prod-aws' },
    ]);
    expect(project.spec.namespaceResourceWhitelist.map((k: Json) => k.kind).sort()).toEqual([
      'PodIdentityAssociation',
      'Role',
      'Table',
    ]);
    // prod's own project is not widened: its cluster and namespace only, and no ACK kind any more.
    const own = read('dist/argocd/appproject-guestlist-prod.yaml');
    expect(own.spec.destinations).toEqual([{ name: 'prod-eks', namespace: 'guestlist-prod' }]);
    expect(JSON.stringify(own.spec.namespaceResourceWhitelist)).not.toContain('services.k8s.aws');
  });

  it("should run no ACK on the spoke, and give the hub the account map and the admission of prod's Role", () => {
    const files = Object.keys(readTree(work));
    expect(files.filter((f) => f.includes('addon-prod-ack') || f.includes('trust-prod'))).toEqual([]);
    const map = read('dist/argocd/configmap-ack-role-account-map.yaml');
    expect(map.metadata).toEqual({ name: 'ack-role-account-map', namespace: 'ack-system' });
    expect(map.data).toEqual({ '333333333333': 'arn:aws:iam::333333333333:role/ack-hub-access' });
    const mapApp = read('dist/argocd/application-addon-nonprod-ack-account-map.yaml');
    expect(mapApp.spec.destination).toEqual({
      server: 'https://kubernetes.default.svc',
      namespace: 'ack-system',
    });
    expect(mapApp.spec.source.directory.include).toBe('configmap-ack-role-account-map.yaml');

    const policy = read('dist/argocd/validatingadmissionpolicy-guestlist-iam-role-trust-nonprod.yaml');
    const denials = (object: Json) =>
      (policy.spec.validations as { expression: string; message: string }[])
        .filter((v) => evaluate(v.expression, { object }) !== true)
        .map((v) => v.message);
    const prodRole = read('dist/prod-aws/role-guestlist.yaml');
    expect(denials(prodRole)).toEqual([]);
    for (const env of ['dev', 'staging'])
      expect(denials(read(`dist/${env}/role-guestlist.yaml`)), env).toEqual([]);
    // dev's trust document in prod's hub namespace, or prod's in dev's namespace: denied.
    const devRole = read('dist/dev/role-guestlist.yaml');
    expect(
      denials({ ...devRole, metadata: { ...devRole.metadata, namespace: 'guestlist-prod-aws' } }),
    ).toHaveLength(2);
    expect(
      denials({ ...prodRole, metadata: { ...prodRole.metadata, namespace: 'guestlist-dev' } }),
    ).toHaveLength(2);
  });

  it("should have doctor list the hub and the role the hub assumes in prod's account, with the commands that check them", () => {
    const r = synth(work, 'doctor', 'prod');
    expect(r.out).toContain(
      'environments/clusters/prod.yaml:12 ack-hub-access: arn:aws:iam::333333333333:role/ack-hub-access [prerequisite] (prod)',
    );
    expect(r.out).toContain(
      'check: aws iam get-role --role-name ack-hub-access --query Role.AssumeRolePolicyDocument --output json',
    );
    expect(r.out).toContain(
      'environments/clusters/prod.yaml:12 addons.ack.hub: nonprod [prerequisite] (prod)',
    );
    expect(r.out).toContain('check: kubectl --context nonprod get crd tables.dynamodb.services.k8s.aws');
    // doctor for prod alone still says how to make the hub's context that check uses.
    expect(r.out).toContain(
      '`aws eks update-kubeconfig --region eu-west-1 --name guestlist-nonprod --alias nonprod` adds the context "nonprod"',
    );
  });

  it('should be what --check finds, and remove dist/prod-aws/ with prod only by --allow-remove prod', () => {
    expect(synth(work, '--check').code).toBe(0);
    rmSync(join(work, 'environments/prod.yaml'));
    const refused = synth(work);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('environment "prod" is protected');
    const r = synth(work, '--allow-remove', 'prod');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(existsSync(join(work, 'dist/prod-aws'))).toBe(false);
    expect(existsSync(join(work, 'dist/prod'))).toBe(false);
  });
});

describe('a hub that cannot be one', () => {
  const refusedWith = (edits: Record<string, (text: string) => string>, ...expected: string[]) => {
    const work = copy(edits);
    works.push(work);
    const before = readTree(work);
    const r = synth(work);
    expect(r.code).toBe(1);
    const lines = r.err.split('\n').filter((l) => l.length > 0 && !l.startsWith('synth:'));
    expect(lines.sort()).toEqual(expected.sort());
    expect(readTree(work)).toEqual(before);
  };
  const hub = (name: string) => (t: string) => t.replace(ACK_VERSIONS, `ack:\n    hub: ${name}\n`);

  it('should refuse a hub naming its own entry', () => {
    refusedWith(
      { [PROD_ENTRY]: hub('prod') },
      'environments/clusters/prod.yaml:12:10 addons.ack.hub: "prod" names this entry itself; a hub is another cluster whose ACK controllers act in this account: name that cluster\'s entry, or give this entry its own addons.ack',
    );
  });

  it('should refuse an unknown entry', () => {
    refusedWith(
      { [PROD_ENTRY]: hub('nonprd') },
      'environments/clusters/prod.yaml:12:10 addons.ack.hub: "nonprd" is not a cluster entry (no environments/clusters/nonprd.yaml; known: nonprod); the hub must be a cluster entry that runs ACK',
    );
  });

  it("should refuse a hub whose ACK is itself a hub's", () => {
    refusedWith(
      { [PROD_ENTRY]: hub('nonprod'), 'environments/clusters/nonprod.yaml': hub('prod') },
      // Both entries name each other: each is refused at its own key.
      'environments/clusters/nonprod.yaml:16:10 addons.ack.hub: "prod" manages its ACK objects from hub "nonprod" itself (environments/clusters/prod.yaml); a hub runs ACK itself: name "nonprod", or give "prod" its own addons.ack',
      'environments/clusters/prod.yaml:12:10 addons.ack.hub: "nonprod" manages its ACK objects from hub "prod" itself (environments/clusters/nonprod.yaml); a hub runs ACK itself: name "prod", or give "nonprod" its own addons.ack',
    );
  });

  it("should refuse an environment on the hub whose namespace is prod's hub namespace", () => {
    const r = (() => {
      const work = copy({
        [PROD_ENTRY]: hub('nonprod'),
        'environments/dev.yaml': (t) => `${t}namespace: guestlist-prod-aws\n`,
      });
      works.push(work);
      const before = readTree(work);
      const out = synth(work);
      expect(readTree(work)).toEqual(before);
      return out;
    })();
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^environments\/prod\.yaml:\d+:\d+ namespace: "guestlist-prod" puts this environment's ACK objects in namespace "guestlist-prod-aws" on hub "nonprod", which is the namespace of environments\/dev\.yaml, which runs on hub cluster "nonprod"; one namespace cannot hold both: give one of them another namespace$/m,
    );
    expect(r.err).not.toContain('internal error');
  });

  it('should take a hub running the managed ACK capability: an IAMRoleSelector instead of the account map', () => {
    // Self-managed Argo CD, managed ACK on the hub (ack-hub-managed-cli.test.ts has both managed).
    const work = copy({
      [PROD_ENTRY]: hub('nonprod'),
      'environments/clusters/nonprod.yaml': (t) => t.replace(ACK_VERSIONS, 'ack: eks-capability\n'),
    });
    works.push(work);
    const r = synth(work);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const files = Object.keys(readTree(work));
    expect(
      files.filter((f) => f.includes('ack-role-account-map') || f.includes('ack-role-selectors')),
    ).toEqual(['dist/argocd/application-addon-nonprod-ack-role-selectors.yaml']);
    const selector = parse(
      readFileSync(join(work, 'dist/argocd/iamroleselector-guestlist-prod-aws.yaml'), 'utf8'),
    );
    expect(selector.spec).toEqual({
      arn: 'arn:aws:iam::333333333333:role/ack-hub-access',
      namespaceSelector: { names: ['guestlist-prod-aws'] },
    });
  });
});
