import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runStatus, runVerifyCommand } from '../../../test/cluster-cli';
import { application, DIGEST_A, deployment, pod, REPOSITORY } from '../../../test/cluster-fixtures';
import { type AllowedRole, FakeKubeApi } from '../../../test/fake-kube-api';
import { writeKubeconfig } from '../../../test/kubeconfig';
import { selfSignedCertificate } from '../../../test/self-signed';
import { createWorkspace, initRepository } from '../../../test/workspace';
import { parseSubject } from '../../cluster/rbac-output';
import type { CliContext as ClusterCommandContext } from '../command';

const tls = selfSignedCertificate();
const IMAGE = `${REPOSITORY}:0.2.0@${DIGEST_A}`;

function context(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: ClusterCommandContext = {
    io: { out: (t) => out.push(t), err: (t) => err.push(t) },
    env: {},
    cwd,
  };
  return { ctx, out, err };
}

describe('synth status --rbac', () => {
  let root: string;
  let api: FakeKubeApi;
  let kubeconfig: string;
  let roles: AllowedRole[];

  beforeAll(async () => {
    root = createWorkspace([
      { name: 'dev', tag: '0.2.0', digest: DIGEST_A },
      { name: 'prod', tag: '0.2.0', digest: DIGEST_A },
    ]);
    const r = initRepository(root);
    api = await FakeKubeApi.start({ tls });
    kubeconfig = writeKubeconfig(join(root, '..', `${root.split('/').pop()}-kubeconfig`), {
      server: api.url,
      ca: tls.cert,
    });
    for (const env of ['dev', 'prod']) {
      api.put(application({ env, revision: r }));
      api.put(deployment({ env, image: IMAGE }));
      api.put(pod({ env, name: 'guestlist-7d9c8b6f5-a', image: IMAGE, digest: DIGEST_A }));
    }
  });

  afterAll(async () => {
    await api.stop();
    for (const p of [root, `${root}-origin.git`, kubeconfig]) rmSync(p, { recursive: true, force: true });
  });

  it('should print Roles and RoleBindings for every environment without reading the cluster', async () => {
    const { ctx, out } = context(root);
    expect(
      await runStatus(['--rbac', 'group:guestlist-ci', '--rbac', 'serviceaccount:ci/deployer'], ctx),
    ).toBe(0);
    const docs = parseAllDocuments(out[0] as string).map((d) => d.toJS());
    expect(docs.map((d) => `${d.kind} ${d.metadata.namespace}/${d.metadata.name}`)).toEqual([
      'Role argocd/guestlist-cluster-reader',
      'RoleBinding argocd/guestlist-cluster-reader',
      'Role guestlist-dev/guestlist-cluster-reader',
      'RoleBinding guestlist-dev/guestlist-cluster-reader',
      'Role guestlist-prod/guestlist-cluster-reader',
      'RoleBinding guestlist-prod/guestlist-cluster-reader',
    ]);
    expect(docs[0].rules).toEqual([
      {
        apiGroups: ['argoproj.io'],
        resources: ['applications'],
        resourceNames: ['guestlist-dev', 'guestlist-prod'],
        verbs: ['get', 'watch'],
      },
    ]);
    expect(docs[1].subjects).toEqual([
      { kind: 'Group', name: 'guestlist-ci', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'ServiceAccount', name: 'deployer', namespace: 'ci' },
    ]);
    expect(api.requests).toEqual([]);
    roles = docs
      .filter((d) => d.kind === 'Role')
      .map((d) => ({ namespace: d.metadata.namespace, rules: d.rules }));
  });

  it('should be exactly enough: status and verify pass with only these Roles, and use every verb they grant', async () => {
    api.allowOnly(roles);
    const a = context(root);
    expect(await runStatus(['--kubeconfig', kubeconfig], a.ctx)).toBe(0);
    const b = context(root);
    expect(await runVerifyCommand(['prod', '--kubeconfig', kubeconfig], b.ctx)).toBe(0);
    expect(b.err.filter((l) => l.includes('RBAC'))).toEqual([]);
    const used = new Set(api.requests.map((q) => `${q.verb} ${q.path.split('/').slice(-2).join('/')}`));
    const granted = roles.flatMap((role) =>
      role.rules.flatMap((rule) =>
        rule.verbs.flatMap((verb) =>
          (rule.resourceNames ?? ['']).map((name) =>
            verb === 'get'
              ? `get ${rule.resources[0]}/${name}`
              : `${verb} ${role.namespace}/${rule.resources[0]}`,
          ),
        ),
      ),
    );
    // Every grant used at least once (dev's Deployment is only read by status, and only with get).
    expect(granted.filter((g) => !used.has(g) && !g.startsWith('watch guestlist-dev/'))).toEqual([]);
  });

  it('should name the verb and resource when a grant is missing', async () => {
    api.allowOnly(roles.filter((r) => r.namespace !== 'guestlist-dev'));
    const { ctx, out } = context(root);
    expect(await runStatus(['--kubeconfig', kubeconfig, '--env', 'dev'], ctx)).toBe(1);
    expect((out[0] as string).split('\n').at(-1)).toMatch(
      /^dev: unknown: RBAC: user "ci-reader" \(context "test"\) may not get deployments\.apps "guestlist" in namespace "guestlist-dev" \(403 Forbidden\)/,
    );
  });

  it('should refuse a subject it cannot read', () => {
    expect(() => parseSubject('team:ci')).toThrow(
      '--rbac "team:ci" must be group:<name>, user:<name> or serviceaccount:<namespace>/<name>',
    );
    expect(parseSubject('serviceaccount:ci/deployer')).toEqual({
      kind: 'ServiceAccount',
      namespace: 'ci',
      name: 'deployer',
    });
  });
});
