import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { application, deployment, pod, REPOSITORY } from '../../../test/cluster-fixtures';
import { FakeKubeApi } from '../../../test/fake-kube-api';
import { writeKubeconfig } from '../../../test/kubeconfig';
import { opsRepo } from '../../../test/ops-repo';
import { selfSignedCertificate } from '../../../test/self-signed';
import type { TempRepo } from '../../../test/temp-repo';
import { checkEnvironmentText, type EnvironmentView, viewOf } from '../../config';
import { clusterGate } from './cluster-gate';

// The gate is handed the environment the promote plan loaded: it reads dist/<env> and dist/argocd, never the
// environment files again, so another environment's file (broken, or being edited) does not matter to it.
const tls = selfSignedCertificate();
let api: FakeKubeApi;
let repo: TempRepo;
let kubeconfig: string;
let dev: EnvironmentView;

beforeAll(async () => {
  repo = opsRepo();
  api = await FakeKubeApi.start({ tls });
  kubeconfig = writeKubeconfig(join(repo.dir, '..', 'kubeconfig'), { server: api.url, ca: tls.cert });
  const image = `${REPOSITORY}:0.1.0`;
  api.put(application({ revision: repo.git(['rev-parse', 'HEAD']) }));
  api.put(deployment({ image }));
  api.put(pod({ name: 'guestlist-7d9c8b6f5-a', image }));
  const config = checkEnvironmentText(repo.read('environments/dev.yaml'), 'dev.yaml').config;
  if (!config) throw new Error('environments/dev.yaml does not load');
  dev = viewOf(config);
});
afterAll(async () => {
  await api.stop();
  repo.cleanup();
});

describe('clusterGate', () => {
  it("should verify the plan's environment without reading any environment file again", async () => {
    writeFileSync(join(repo.dir, 'environments', 'prod.yaml'), 'name: prod\nreplicas: two\n');
    const gate = clusterGate({ root: repo.dir, kubeconfig, env: {}, timeoutMs: 5000 });
    expect(await gate(dev, dev.image)).toEqual({ ok: true, revision: repo.git(['rev-parse', 'HEAD']) });
  });

  it('should refuse an image that dist/<env> does not deploy, naming both', async () => {
    const gate = clusterGate({ root: repo.dir, kubeconfig, env: {}, timeoutMs: 5000 });
    expect(await gate(dev, { ...dev.image, tag: '0.9.0' })).toEqual({
      ok: false,
      reason: `dist/dev deploys ${REPOSITORY}:0.1.0, not ${REPOSITORY}:0.9.0; run npm run synth`,
    });
  });
});
