import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStatus } from '../../../test/cluster-cli';
import { application, DIGEST_A, DIGEST_B, deployment, pod, REPOSITORY } from '../../../test/cluster-fixtures';
import { FakeKubeApi } from '../../../test/fake-kube-api';
import { writeKubeconfig } from '../../../test/kubeconfig';
import { selfSignedCertificate } from '../../../test/self-signed';
import { createWorkspace } from '../../../test/workspace';
import type { CliContext as ClusterCommandContext } from '../command';

const TOKEN = 'status-token-0123456789';
const tls = selfSignedCertificate();

function context(cwd: string, env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: ClusterCommandContext = {
    io: { out: (t) => out.push(t), err: (t) => err.push(t) },
    env,
    cwd,
    home: join(cwd, 'home'),
  };
  return { ctx, out, err };
}

describe('synth status against the fake API server', () => {
  let api: FakeKubeApi;
  let root: string;
  let kubeconfig: string;
  const pinned = (tag: string, digest: string) => `${REPOSITORY}:${tag}@${digest}`;

  beforeAll(async () => {
    root = createWorkspace([
      { name: 'dev', tag: '0.2.0', digest: DIGEST_A },
      { name: 'staging', tag: '0.2.0', digest: DIGEST_A },
      { name: 'prod', tag: '0.1.0', digest: DIGEST_B },
      { name: 'qa', tag: '0.3.0', distTag: '0.2.0' },
    ]);
    // 200 ms per request: long enough that every read of one run is in flight at the same moment.
    api = await FakeKubeApi.start({ token: TOKEN, tls, latencyMs: 200 });
    kubeconfig = writeKubeconfig(join(root, 'kubeconfig'), { server: api.url, token: TOKEN, ca: tls.cert });
    // dev: in sync.
    api.put(application({ env: 'dev' }));
    api.put(deployment({ env: 'dev', image: pinned('0.2.0', DIGEST_A) }));
    for (const n of ['a', 'b', 'c'])
      api.put(
        pod({
          env: 'dev',
          name: `guestlist-7d9c8b6f5-${n}`,
          image: pinned('0.2.0', DIGEST_A),
          digest: DIGEST_A,
        }),
      );
    // staging: the new ReplicaSet is up, one old pod still serves.
    api.put(application({ env: 'staging', health: 'Progressing', phase: 'Running', finishedAt: null }));
    api.put(
      deployment({
        env: 'staging',
        image: pinned('0.2.0', DIGEST_A),
        total: 4,
        progressing: 'ReplicaSetUpdated',
      }),
    );
    for (const n of ['a', 'b', 'c'])
      api.put(
        pod({
          env: 'staging',
          name: `guestlist-7d9c8b6f5-${n}`,
          image: pinned('0.2.0', DIGEST_A),
          digest: DIGEST_A,
        }),
      );
    api.put(
      pod({
        env: 'staging',
        name: 'guestlist-5f6d7c8b9-z',
        hash: '5f6d7c8b9',
        image: pinned('0.1.0', DIGEST_B),
        digest: DIGEST_B,
      }),
    );
    // prod: Synced but Degraded.
    api.put(
      application({
        env: 'prod',
        health: 'Degraded',
        healthMessage: 'Deployment "guestlist" exceeded its progress deadline',
      }),
    );
    api.put(
      deployment({
        env: 'prod',
        image: pinned('0.1.0', DIGEST_B),
        updated: 1,
        ready: 0,
        total: 4,
        progressing: 'ProgressDeadlineExceeded',
      }),
    );
    // qa: no Application in the cluster (its file is ahead of dist as well).
  });

  afterAll(async () => {
    await api.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('should print one row per environment with the verdict, queried concurrently', async () => {
    api.maxInFlight = 0;
    const { ctx, out, err } = context(root);
    const code = await runStatus(['--kubeconfig', kubeconfig], ctx);
    expect(err).toEqual([]);
    const lines = (out[0] as string).split('\n');
    expect(lines[0]).toBe(`context test (${api.url})`);
    expect(lines[1]).toMatch(
      /^ENV +VERDICT +FILE +DIST +LIVE \(ready pods\) +SYNC +HEALTH +OPERATION +ROLLOUT$/,
    );
    expect(lines.slice(2, 6).map((l) => l.split(/ {2,}/))).toEqual([
      [
        'dev',
        'in sync',
        '0.2.0@sha256:a1a1a1a1',
        '0.2.0@sha256:a1a1a1a1',
        '0.2.0@sha256:a1a1a1a1 ×3',
        'Synced 1111111',
        'Healthy',
        'Succeeded',
        '3/3/3 of 3 gen 4/4',
      ],
      [
        'prod',
        'degraded',
        '0.1.0@sha256:b2b2b2b2',
        '0.1.0@sha256:b2b2b2b2',
        '-',
        'Synced 1111111',
        'Degraded',
        'Succeeded',
        '1/0/0 of 3 gen 4/4',
      ],
      ['qa', 'dist stale', '0.3.0', '0.2.0', '-', '-', '-', '-', '-'],
      [
        'staging',
        'rolling out',
        '0.2.0@sha256:a1a1a1a1',
        '0.2.0@sha256:a1a1a1a1',
        '0.2.0@sha256:a1a1a1a1 ×3, 0.1.0@sha256:b2b2b2b2 ×1',
        'Synced 1111111',
        'Progressing',
        'Running',
        '3/3/3 of 3 gen 4/4',
      ],
    ]);
    expect(lines.slice(7)).toEqual([
      'prod: degraded: Argo CD health is Degraded: Deployment "guestlist" exceeded its progress deadline',
      `qa: dist stale: environments/qa.yaml has ${REPOSITORY}:0.3.0 but dist/qa has ${REPOSITORY}:0.2.0; run npm run synth`,
      'staging: rolling out: Deployment guestlist: 1 old replica(s) pending termination',
    ]);
    // qa's Application is missing, which a dist-stale verdict reports first; the exit code stays 0.
    expect(code).toBe(0);
    // Three reads per environment, all in flight at once.
    expect(api.maxInFlight).toBe(12);
  });

  it('should print JSON for CI and say unknown, exit 1, for an Application that does not exist', async () => {
    const { ctx, out } = context(root);
    const code = await runStatus(['--kubeconfig', kubeconfig, '--json', '--env', 'qa', '--env', 'dev'], ctx);
    const doc = JSON.parse(out[0] as string);
    expect(
      doc.environments.map((e: { environment: string; verdict: string }) => [e.environment, e.verdict]),
    ).toEqual([
      ['dev', 'in sync'],
      ['qa', 'dist stale'],
    ]);
    expect(doc.environments[0]).toEqual({
      environment: 'dev',
      verdict: 'in sync',
      image: {
        file: pinned('0.2.0', DIGEST_A),
        dist: pinned('0.2.0', DIGEST_A),
        live: ['0.2.0@sha256:a1a1a1a1 ×3'],
      },
      argocd: {
        application: 'argocd/guestlist-dev',
        sync: 'Synced',
        revision: '1111111111111111111111111111111111111111',
        health: 'Healthy',
        operation: 'Succeeded',
      },
      rollout: {
        desired: 3,
        updated: 3,
        ready: 3,
        available: 3,
        total: 3,
        generation: 4,
        observedGeneration: 4,
      },
    });
    expect(code).toBe(0);
    const gone = createWorkspace([{ name: 'qa', tag: '0.3.0' }]);
    const second = context(gone);
    expect(await runStatus(['--kubeconfig', kubeconfig], second.ctx)).toBe(1);
    expect((second.out[0] as string).split('\n').at(-1)).toBe(
      'qa: unknown: Argo CD Application "guestlist-qa" not found in namespace "argocd" (context "test")',
    );
    rmSync(gone, { recursive: true, force: true });
  });

  it('should say unknown for every environment when the API server is unreachable', async () => {
    const down = await FakeKubeApi.start({ tls });
    const cfg = writeKubeconfig(join(root, 'down'), { server: down.url, ca: tls.cert });
    await down.stop();
    const { ctx, out } = context(root);
    expect(await runStatus(['--kubeconfig', cfg, '--env', 'dev'], ctx)).toBe(1);
    expect((out[0] as string).split('\n').at(-1)).toBe(
      `dev: unknown: cannot reach the API server ${down.url} (context "test"): connect ECONNREFUSED ${down.url.replace('https://', '')}`,
    );
  });

  it('should exit 1 with one line and how to give access for a missing kubeconfig or an unknown context', async () => {
    const hint =
      'give status read access to the cluster with --kubeconfig <file>, --context <ctx> or KUBECONFIG (npm run status -- --rbac <subject> prints the read-only RBAC)';
    const a = context(root, { KUBECONFIG: join(root, 'missing.yaml') });
    expect(await runStatus([], a.ctx)).toBe(1);
    expect(a.err).toEqual([
      `status: kubeconfig ${join(root, 'missing.yaml')} (from KUBECONFIG) does not exist; ${hint}`,
    ]);
    const b = context(root);
    expect(await runStatus(['--kubeconfig', kubeconfig, '--context', 'prod'], b.ctx)).toBe(1);
    expect(b.err).toEqual([
      `status: context "prod" is not in kubeconfig ${kubeconfig} (contexts: test); ${hint}`,
    ]);
  });

  it('should exit 2 with one line for an unknown environment or option', async () => {
    const c = context(root);
    expect(await runStatus(['--kubeconfig', kubeconfig, '--env', 'prdo'], c.ctx)).toBe(2);
    expect(c.err).toEqual([
      'status: --env "prdo": no such environment (there is no environments/prdo.yaml); did you mean "prod"? (environments: dev, prod, qa, staging)',
    ]);
    const d = context(root);
    expect(await runStatus(['--watch'], d.ctx)).toBe(2);
    expect(d.err[0]).toMatch(
      /^status: unknown option --watch \(options: --context, --kubeconfig, .*--env, --rbac\)$/,
    );
  });
});
