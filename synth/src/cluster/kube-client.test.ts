import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { application, deployment, pod } from '../../test/cluster-fixtures';
import { FakeKubeApi } from '../../test/fake-kube-api';
import { writeKubeconfig } from '../../test/kubeconfig';
import { selfSignedCertificate } from '../../test/self-signed';
import { createClusterReader } from './kube-client';
import { loadKubeConfig } from './kube-config';

const TOKEN = 'ci-reader-token-0123456789';
const tls = selfSignedCertificate();

describe('createClusterReader against the fake API server', () => {
  let api: FakeKubeApi;
  let dir: string;
  let kubeconfig: string;
  const reader = (timeoutMs = 2000) =>
    createClusterReader(loadKubeConfig({ kubeconfig, env: {} }), { timeoutMs });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kube-client-'));
    api = await FakeKubeApi.start({ token: TOKEN, tls });
    kubeconfig = writeKubeconfig(join(dir, 'config'), { server: api.url, token: TOKEN, ca: tls.cert });
    api.put(application());
    api.put(deployment());
    api.put(pod({ name: 'guestlist-7d9c8b6f5-a' }));
    api.put(pod({ name: 'guestlist-7d9c8b6f5-b' }));
    api.put({
      ...pod({ name: 'other-1' }),
      metadata: { name: 'other-1', namespace: 'guestlist-dev', labels: { app: 'other' } },
    });
  });

  afterAll(async () => {
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  afterEach(() => {
    api.requests.length = 0;
  });

  it('should get the Application and Deployment and list pods by label selector with the bearer token', async () => {
    const r = reader();
    const [app, dep, pods] = await Promise.all([
      r.getApplication('argocd', 'guestlist-dev'),
      r.getDeployment('guestlist-dev', 'guestlist'),
      r.listPods('guestlist-dev', 'app=guestlist'),
    ]);
    expect(app.status?.sync?.status).toBe('Synced');
    expect(dep?.status?.updatedReplicas).toBe(3);
    expect(pods.map((p) => p.metadata?.name)).toEqual(['guestlist-7d9c8b6f5-a', 'guestlist-7d9c8b6f5-b']);
    expect(pods[0]?.status?.containerStatuses?.[0]?.imageID).toMatch(/@sha256:/);
    expect(api.requests.map((q) => `${q.verb} ${q.path} ${q.query.labelSelector ?? ''}`).sort()).toEqual([
      'get /apis/apps/v1/namespaces/guestlist-dev/deployments/guestlist ',
      'get /apis/argoproj.io/v1alpha1/namespaces/argocd/applications/guestlist-dev ',
      'list /api/v1/namespaces/guestlist-dev/pods app=guestlist',
    ]);
    expect(api.requests.every((q) => q.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('should reuse one kept-alive TLS connection for reads one after another', async () => {
    const r = reader();
    const before = api.connections;
    for (let i = 0; i < 5; i++) await r.getDeployment('guestlist-dev', 'guestlist');
    expect(api.connections - before).toBe(1);
    r.close();
  });

  it('should name the Application and namespace on 404, and give undefined for a missing Deployment', async () => {
    const r = reader();
    await expect(r.getApplication('argocd', 'guestlist-qa')).rejects.toThrow(
      'Argo CD Application "guestlist-qa" not found in namespace "argocd" (context "test")',
    );
    expect(await r.getDeployment('guestlist-qa', 'guestlist')).toBeUndefined();
  });

  it('should say which verb on which resource RBAC denied', async () => {
    const denied = await FakeKubeApi.start({ user: 'system:serviceaccount:ci:deployer', tls });
    denied.deny('list', '', 'pods');
    denied.deny('get', 'argoproj.io', 'applications');
    const cfg = writeKubeconfig(join(dir, 'denied'), { server: denied.url, token: 'x', ca: tls.cert });
    const r = createClusterReader(loadKubeConfig({ kubeconfig: cfg, env: {} }));
    await expect(r.listPods('guestlist-dev', 'app=guestlist')).rejects.toThrow(
      'RBAC: user "ci-reader" (context "test") may not list pods in namespace "guestlist-dev" (403 Forbidden): pods is forbidden: User "system:serviceaccount:ci:deployer" cannot list resource "pods" in API group "" in the namespace "guestlist-dev"',
    );
    await expect(r.getApplication('argocd', 'guestlist-dev')).rejects.toThrow(
      'RBAC: user "ci-reader" (context "test") may not get applications.argoproj.io "guestlist-dev" in namespace "argocd" (403 Forbidden): applications.argoproj.io "guestlist-dev" is forbidden: User "system:serviceaccount:ci:deployer" cannot get resource "applications" in API group "argoproj.io" in the namespace "argocd"',
    );
    await denied.stop();
  });

  it('should report rejected credentials (401)', async () => {
    const cfg = writeKubeconfig(join(dir, 'wrong'), { server: api.url, token: 'wrong-token', ca: tls.cert });
    const r = createClusterReader(loadKubeConfig({ kubeconfig: cfg, env: {} }));
    await expect(r.getDeployment('guestlist-dev', 'guestlist')).rejects.toThrow(
      `the API server ${api.url} rejected the credentials of user "ci-reader" (context "test"): 401 Unauthorized`,
    );
  });

  it('should give up on a request the server never answers after the timeout', async () => {
    const slow = await FakeKubeApi.start({ tls });
    slow.hang((path) => path.includes('/deployments/'));
    const cfg = writeKubeconfig(join(dir, 'slow'), { server: slow.url, ca: tls.cert });
    const r = createClusterReader(loadKubeConfig({ kubeconfig: cfg, env: {} }), { timeoutMs: 300 });
    const started = Date.now();
    await expect(r.getDeployment('guestlist-dev', 'guestlist')).rejects.toThrow(
      `the API server ${slow.url} did not answer get deployments.apps "guestlist" in namespace "guestlist-dev" within 0.3 s (context "test")`,
    );
    // Gave up at its own deadline, not at the test's.
    expect(Date.now() - started).toBeLessThan(10_000);
    await slow.stop();
  });

  it('should report an unreachable server with the cause', async () => {
    const gone = await FakeKubeApi.start({ tls });
    const url = gone.url;
    await gone.stop();
    const cfg = writeKubeconfig(join(dir, 'gone'), { server: url, ca: tls.cert });
    const r = createClusterReader(loadKubeConfig({ kubeconfig: cfg, env: {} }));
    await expect(r.getApplication('argocd', 'guestlist-dev')).rejects.toThrow(
      `cannot reach the API server ${url} (context "test"): connect ECONNREFUSED ${url.replace('https://', '')}`,
    );
  });

  it('should call back on watch events and re-watch when the server ends the stream', async () => {
    const r = reader();
    let events = 0;
    const stop = r.watch(
      { kind: 'pods', namespace: 'guestlist-dev', labelSelector: 'app=guestlist' },
      () => events++,
      () => {},
    );
    await until(() => api.openWatches === 1);
    await until(() => events >= 2); // the synthetic ADDED of the two pods
    api.put(pod({ name: 'guestlist-7d9c8b6f5-c' }));
    await until(() => events >= 3);
    api.endWatches();
    await until(() => api.openWatches === 1);
    const watches = api.requests.filter((q) => q.verb === 'watch');
    expect(watches.length).toBe(2);
    expect(watches[0]?.query).toMatchObject({ labelSelector: 'app=guestlist', watch: 'true' });
    stop();
    await until(() => api.openWatches === 0);
    api.remove(pod({ name: 'guestlist-7d9c8b6f5-c' }));
  });

  it('should watch one named object through a field selector', async () => {
    const r = reader();
    let events = 0;
    const stop = r.watch(
      { kind: 'applications', namespace: 'argocd', name: 'guestlist-dev' },
      () => events++,
      () => {},
    );
    await until(() => events >= 1);
    api.put(application({ env: 'staging' }));
    api.put(application({ health: 'Progressing' }));
    await until(() => events >= 2);
    await new Promise((r) => setTimeout(r, 50));
    expect(events).toBe(2);
    expect(api.requests.find((q) => q.verb === 'watch')?.query.fieldSelector).toBe(
      'metadata.name=guestlist-dev',
    );
    stop();
  });

  it('should report a refused watch once and not retry it', async () => {
    const denied = await FakeKubeApi.start({ tls });
    denied.deny('watch', 'apps', 'deployments');
    const cfg = writeKubeconfig(join(dir, 'nowatch'), { server: denied.url, ca: tls.cert });
    const r = createClusterReader(loadKubeConfig({ kubeconfig: cfg, env: {} }));
    const refused: string[] = [];
    const stop = r.watch(
      { kind: 'deployments', namespace: 'guestlist-dev', name: 'guestlist' },
      () => {},
      (e) => refused.push(e.message),
    );
    await until(() => refused.length === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(refused).toEqual([
      'RBAC: user "ci-reader" (context "test") may not watch deployments.apps in namespace "guestlist-dev" (403 Forbidden)',
    ]);
    expect(denied.requests.length).toBe(1);
    stop();
    await denied.stop();
  });

  it('should verify the server certificate against certificate-authority-data and the in-cluster CA file', async () => {
    const secure = await FakeKubeApi.start({ tls, token: TOKEN });
    secure.put(application());
    const cfg = writeKubeconfig(join(dir, 'tls'), { server: secure.url, token: TOKEN, ca: tls.cert });
    const app = await createClusterReader(loadKubeConfig({ kubeconfig: cfg, env: {} })).getApplication(
      'argocd',
      'guestlist-dev',
    );
    expect(app.metadata.name).toBe('guestlist-dev');

    const noCa = writeKubeconfig(join(dir, 'tls-no-ca'), { server: secure.url, token: TOKEN });
    await expect(
      createClusterReader(loadKubeConfig({ kubeconfig: noCa, env: {} })).getApplication(
        'argocd',
        'guestlist-dev',
      ),
    ).rejects.toThrow(`cannot reach the API server ${secure.url} (context "test"): self-signed certificate`);

    // In a pod: the service account's token and CA files, and KUBERNETES_SERVICE_HOST/PORT.
    const sa = join(dir, 'pod', 'var/run/secrets/kubernetes.io/serviceaccount');
    mkdirSync(sa, { recursive: true });
    writeFileSync(join(sa, 'token'), TOKEN);
    writeFileSync(join(sa, 'ca.crt'), tls.cert);
    writeFileSync(join(sa, 'namespace'), 'ci');
    const saved = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };
    process.env.KUBERNETES_SERVICE_HOST = '127.0.0.1';
    process.env.KUBERNETES_SERVICE_PORT = new URL(secure.url).port;
    try {
      const access = loadKubeConfig({
        env: process.env,
        home: join(dir, 'pod'),
        inClusterRoot: join(dir, 'pod'),
      });
      expect([access.source, access.server]).toEqual(['in-cluster service account', secure.url]);
      const inPod = await createClusterReader(access).getApplication('argocd', 'guestlist-dev');
      expect(inPod.metadata.name).toBe('guestlist-dev');
    } finally {
      for (const [k, v] of [
        ['KUBERNETES_SERVICE_HOST', saved.host],
        ['KUBERNETES_SERVICE_PORT', saved.port],
      ] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await secure.stop();
    }
  });
});

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
