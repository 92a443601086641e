// The fake Kubernetes API server of bench-status.ts in a process of its own, as a real API server is: its TLS
// handshakes, JSON and added latency do not run on the measured client's thread.
// Setup: the JSON in BENCH_FAKE_API ({ tls, token, latencyMs, environments, revision, image, digest }).
// Prints its URL on the first line of stdout, then answers lines on stdin: "reset" (prints "ok") sets the
// in-flight high-water mark to 0, "max" prints it. Exits when stdin closes.
import { createInterface } from 'node:readline';
import { application, deployment, pod } from '../test/cluster-fixtures';
import { FakeKubeApi } from '../test/fake-kube-api';

interface Setup {
  readonly tls: { readonly key: string; readonly cert: string };
  readonly token: string;
  readonly latencyMs: number;
  readonly environments: readonly string[];
  readonly revision: string;
  readonly image: string;
  readonly digest: string;
}

const setup = JSON.parse(process.env.BENCH_FAKE_API ?? '') as Setup;
const api = await FakeKubeApi.start({ tls: setup.tls, token: setup.token, latencyMs: setup.latencyMs });
for (const env of setup.environments) {
  api.put(application({ env, revision: setup.revision }));
  api.put(deployment({ env, image: setup.image }));
  for (const x of ['a', 'b', 'c']) {
    api.put(pod({ env, name: `guestlist-7d9c8b6f5-${x}`, image: setup.image, digest: setup.digest }));
  }
}
process.stdout.write(`${api.url}\n`);
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line === 'reset') {
    api.maxInFlight = 0;
    process.stdout.write('ok\n');
  } else if (line === 'max') {
    process.stdout.write(`${api.maxInFlight}\n`);
  }
});
lines.on('close', () => {
  void api.stop().then(() => process.exit(0));
});
