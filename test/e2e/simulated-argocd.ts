// Plays Argo CD and the kubelet for `verify`: after a "sync" of an environment at origin's main, the local
// Kubernetes API server (the cluster module's fake, real HTTPS on 127.0.0.1) answers with the Application
// synced and healthy at that revision, and the Deployment and its pods running the image dist/<env> holds at
// that revision, digest included. Between syncs the cluster keeps what it had, as a real one does.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parse } from 'yaml';
import { application, deployment, pod } from '../../synth/test/cluster-fixtures';
import { FakeKubeApi } from '../../synth/test/fake-kube-api';
import { writeKubeconfig } from '../../synth/test/kubeconfig';
import { selfSignedCertificate } from '../../synth/test/self-signed';
import type { GitSandbox } from './git-sandbox';

const TOKEN = 'e2e-reader-token';
/** The kubeconfig context the workflows create (`aws eks update-kubeconfig --alias guestlist`). */
export const CONTEXT = 'guestlist';

/** The local API server plus a kubeconfig for it. */
export class SimulatedArgoCd {
  private constructor(
    readonly api: FakeKubeApi,
    readonly kubeconfig: string,
  ) {}

  static async start(dir: string): Promise<SimulatedArgoCd> {
    // HTTPS with a throw-away certificate the kubeconfig trusts: client-node refuses plain HTTP.
    const tls = selfSignedCertificate();
    const api = await FakeKubeApi.start({ token: TOKEN, tls });
    const kubeconfig = writeKubeconfig(join(dir, 'kubeconfig'), {
      server: api.url,
      token: TOKEN,
      ca: tls.cert,
      context: CONTEXT,
    });
    return new SimulatedArgoCd(api, kubeconfig);
  }

  /** Argo CD syncs `env` to origin's main; the rollout completes with the image dist/<env> holds there. */
  sync(sandbox: GitSandbox, env: string): { revision: string; image: string } {
    const revision = sandbox.head();
    const manifest = parse(sandbox.show(`dist/${env}/deployment-guestlist.yaml`, revision));
    const image: string = manifest.spec.template.spec.containers[0].image;
    // The kubelet records the digest it pulled even when dist/ names only a tag.
    const digest =
      /@(sha256:[0-9a-f]{64})$/.exec(image)?.[1] ??
      `sha256:${createHash('sha256').update(image).digest('hex')}`;
    this.api.put(application({ env, revision, images: [image] }));
    this.api.put(deployment({ env, image, replicas: 2 }));
    for (const name of ['guestlist-7d9c8b6f5-a', 'guestlist-7d9c8b6f5-b']) {
      this.api.put(pod({ env, name, image, digest }));
    }
    return { revision, image };
  }

  stop(): Promise<void> {
    return this.api.stop();
  }
}
