import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runVerifyCommand } from '../../../test/cluster-cli';
import { application, DIGEST_A, DIGEST_B, deployment, pod, REPOSITORY } from '../../../test/cluster-fixtures';
import { FakeKubeApi } from '../../../test/fake-kube-api';
import { writeKubeconfig } from '../../../test/kubeconfig';
import { selfSignedCertificate } from '../../../test/self-signed';
import { commitFiles, createWorkspace, git, initRepository } from '../../../test/workspace';
import type { CliContext as ClusterCommandContext } from '../command';

const tls = selfSignedCertificate();
const IMAGE = `${REPOSITORY}:0.2.0@${DIGEST_A}`;
const OLD = `${REPOSITORY}:0.1.0@${DIGEST_B}`;
const USAGE = 'npm run verify -- <env> [--timeout 10m] [--json] [--context <ctx>] [--kubeconfig <file>]';

function context(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: ClusterCommandContext = {
    io: { out: (t) => out.push(t), err: (t) => err.push(t) },
    env: {},
    cwd,
    home: join(cwd, 'home'),
  };
  return { ctx, out, err };
}

const newPods = (n = 3) =>
  ['a', 'b', 'c', 'd', 'e']
    .slice(0, n)
    .map((x) => pod({ name: `guestlist-7d9c8b6f5-${x}`, image: IMAGE, digest: DIGEST_A }));
const oldPod = (name = 'guestlist-5f6d7c8b9-z') =>
  pod({ name, hash: '5f6d7c8b9', image: OLD, digest: DIGEST_B });

describe('synth verify against the fake API server and a real git clone', () => {
  let api: FakeKubeApi;
  let root: string;
  let kubeconfig: string;
  let r: string;

  /** The cluster as Argo CD leaves it after a good sync of `revision`. */
  function healthy(revision: string) {
    api.put(application({ revision }));
    api.put(deployment({ image: IMAGE }));
    for (const p of newPods()) api.put(p);
  }

  beforeAll(async () => {
    root = createWorkspace([{ name: 'dev', tag: '0.2.0', digest: DIGEST_A }]);
    writeFileSync(join(root, '.gitignore'), 'home/\n');
    // R: the one commit that wrote dist/dev.
    r = initRepository(root);
    api = await FakeKubeApi.start({ tls, token: 'verify-token-0123456789' });
    kubeconfig = writeKubeconfig(join(root, 'home', 'kubeconfig'), {
      server: api.url,
      token: 'verify-token-0123456789',
      ca: tls.cert,
    });
  });

  afterAll(async () => {
    await api.stop();
    rmSync(root, { recursive: true, force: true });
    rmSync(`${root}-origin.git`, { recursive: true, force: true });
  });

  afterEach(() => {
    for (const p of [...newPods(5), oldPod(), pod({ name: 'guestlist-7d9c8b6f5-x' })]) api.remove(p);
  });

  it('should start while rolling out and exit 0 soon after the rollout finishes', async () => {
    const dist = r;
    // Mid-sync: operation running, the new ReplicaSet half up, an old pod still serving.
    const phaseMessage = 'waiting for healthy state of apps/Deployment/guestlist';
    api.put(
      application({
        revision: dist,
        phase: 'Running',
        phaseMessage,
        finishedAt: null,
        health: 'Progressing',
      }),
    );
    api.put(deployment({ image: IMAGE, updated: 2, ready: 1, total: 3, progressing: 'ReplicaSetUpdated' }));
    api.put(newPods(1)[0] as never);
    api.put(oldPod());
    const flipAt = { t: 0 };
    setTimeout(() => {
      // Sync finished at 10:05:00 and Argo CD reconciled at 10:05:01; the rollout is complete.
      api.put(
        application({
          revision: dist,
          finishedAt: '2026-11-20T10:05:00Z',
          reconciledAt: '2026-11-20T10:05:01Z',
        }),
      );
      api.put(deployment({ image: IMAGE }));
      for (const p of newPods()) api.put(p);
      api.remove(oldPod());
      flipAt.t = Date.now();
    }, 600);
    const { ctx, out, err } = context(root);
    const code = await runVerifyCommand(['dev', '--kubeconfig', kubeconfig, '--timeout', '20s'], ctx);
    const done = Date.now();
    expect(err.slice(0, 2)).toEqual([
      `verify dev: expecting ${IMAGE} from ${dist.slice(0, 12)} via argocd/guestlist-dev (context test)`,
      'verify dev: waiting: the Argo CD sync operation is Running (waiting for healthy state of apps/Deployment/guestlist)',
    ]);
    expect(code).toBe(0);
    expect(out).toEqual([
      expect.stringMatching(
        new RegExp(
          `^verify dev: verified ${IMAGE.replace(/[.]/g, '\\.')} live at ${dist.slice(0, 12)}; 3 ready pod\\(s\\) run ${DIGEST_A} \\([0-9.]+ (ms|s)\\)$`,
        ),
      ),
    ]);
    expect(flipAt.t).toBeGreaterThan(0);
    // It reacted to the change (a watch event), long before its 20 s timeout. How soon (the 1 s) is
    // measured by npm run bench:status, not asserted here under a shared machine's load.
    expect(done - flipAt.t).toBeLessThan(10_000);
    // It watched the three objects it reads.
    expect(
      api.requests
        .filter((q) => q.verb === 'watch')
        .map((q) => q.path)
        .sort(),
    ).toEqual(
      expect.arrayContaining([
        '/api/v1/namespaces/guestlist-dev/pods',
        '/apis/apps/v1/namespaces/guestlist-dev/deployments',
        '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications',
      ]),
    );
    const closed = Date.now() + 2000;
    while (api.openWatches > 0 && Date.now() < closed) await new Promise((ok) => setTimeout(ok, 10));
    expect(api.openWatches).toBe(0);
  });

  it('should pass when Argo CD is at a later unrelated commit of the monorepo', async () => {
    const later = commitFiles(root, { 'service/src/app.ts': '// unrelated\n' }, 'service: unrelated change');
    git(root, 'push', '-q', 'origin', 'main');
    healthy(later);
    const { ctx, out } = context(root);
    expect(await runVerifyCommand(['dev', '--kubeconfig', kubeconfig, '--timeout', '5s'], ctx)).toBe(0);
    expect(out[0]).toContain(
      `live at ${later.slice(0, 12)} (contains ${r.slice(0, 12)}; 1 later commit(s) leave dist/dev unchanged)`,
    );
  });

  it('should fail fast when an intermediate commit changed dist/<env> before the synced revision', async () => {
    const head = git(root, 'rev-parse', 'HEAD');
    // Another clone pushes a commit that changes dist/dev, then an unrelated one; Argo CD syncs the latter.
    const other = `${root}-other`;
    git(root, 'clone', '-q', `${root}-origin.git`, other);
    const changer = commitFiles(
      other,
      { 'dist/dev/configmap-guestlist.yaml': 'kind: ConfigMap\n' },
      'dev: log level',
    );
    const synced = commitFiles(other, { 'service/src/b.ts': '// b\n' }, 'service: b');
    git(other, 'push', '-q', 'origin', 'main');
    rmSync(other, { recursive: true, force: true });
    healthy(synced);
    const { ctx, err } = context(root);
    const started = Date.now();
    expect(await runVerifyCommand(['dev', '--kubeconfig', kubeconfig, '--timeout', '30s'], ctx)).toBe(1);
    expect(err.at(-1)).toMatch(
      new RegExp(
        `^verify dev: failed: dist/dev changed between ${r.slice(0, 12)} and the synced revision ${synced.slice(0, 12)} \\(first by ${changer.slice(0, 7)} dev: log level\\): the cluster runs a later dist/dev, not this one \\(after .*\\)$`,
      ),
    );
    // Fails fast: well before its 30 s timeout.
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(git(root, 'rev-parse', 'HEAD')).toBe(head);
  });

  it('should fail fast on Synced but Degraded at the right revision', async () => {
    api.put(
      application({
        revision: r,
        health: 'Degraded',
        healthMessage: 'Deployment "guestlist" exceeded its progress deadline',
      }),
    );
    api.put(
      deployment({ image: IMAGE, updated: 1, ready: 0, total: 4, progressing: 'ProgressDeadlineExceeded' }),
    );
    const { ctx, err } = context(root);
    expect(await runVerifyCommand(['dev', '--kubeconfig', kubeconfig, '--timeout', '30s'], ctx)).toBe(1);
    expect(err.at(-1)).toMatch(
      /^verify dev: failed: Argo CD health is Degraded: Deployment "guestlist" exceeded its progress deadline \(after [0-9.]+ m?s\)$/,
    );
  });

  it('should fail when a ready pod runs another digest after the rollout completed', async () => {
    healthy(r);
    api.put(pod({ name: 'guestlist-7d9c8b6f5-x', image: IMAGE, digest: DIGEST_B }));
    api.put(deployment({ image: IMAGE, replicas: 4 }));
    const { ctx, err } = context(root);
    expect(await runVerifyCommand(['dev', '--kubeconfig', kubeconfig], ctx)).toBe(1);
    expect(err.at(-1)).toMatch(
      new RegExp(
        `^verify dev: failed: pod guestlist-7d9c8b6f5-x runs digest ${DIGEST_B} after the rollout completed; expected ${DIGEST_A}`,
      ),
    );
  });

  it('should time out with the first unmet condition', async () => {
    api.put(application({ revision: r, sync: 'OutOfSync' }));
    const { ctx, err } = context(root);
    expect(await runVerifyCommand(['dev', '--kubeconfig', kubeconfig, '--timeout', '1s'], ctx)).toBe(1);
    expect(err.at(-1)).toBe(
      'verify dev: timed out after 1.0 s; first unmet condition: Argo CD sync status is OutOfSync',
    );
  });

  it('should print JSON with --json', async () => {
    healthy(r);
    const { ctx, out } = context(root);
    expect(await runVerifyCommand(['dev', '--kubeconfig', kubeconfig, '--json'], ctx)).toBe(0);
    const doc = JSON.parse(out[0] as string);
    expect(doc).toMatchObject({ environment: 'dev', result: 'verified', image: IMAGE, revision: r });
    expect(doc.pods).toHaveLength(3);
  });

  it('should refuse a stale dist and uncommitted dist changes before asking the cluster', async () => {
    const before = api.requests.length;
    const file = join(root, 'environments', 'dev.yaml');
    const saved = git(root, 'show', 'HEAD:environments/dev.yaml');
    writeFileSync(file, saved.replace('0.2.0', '0.3.0'));
    const a = context(root);
    expect(await runVerifyCommand(['dev', '--kubeconfig', kubeconfig], a.ctx)).toBe(1);
    expect(a.err).toEqual([
      `verify dev: failed: dist/dev is stale: environments/dev.yaml has ${REPOSITORY}:0.3.0@${DIGEST_A} but dist/dev has ${IMAGE}; run npm run synth, commit and push`,
    ]);
    writeFileSync(file, `${saved}\n`);
    writeFileSync(join(root, 'dist', 'dev', 'extra.yaml'), 'x: 1\n');
    const b = context(root);
    expect(await runVerifyCommand(['dev', '--kubeconfig', kubeconfig], b.ctx)).toBe(1);
    expect(b.err).toEqual([
      'verify dev: failed: dist/dev has uncommitted changes (?? dist/dev/extra.yaml); commit and push them before verifying',
    ]);
    rmSync(join(root, 'dist', 'dev', 'extra.yaml'));
    git(root, 'checkout', '-q', '--', 'environments/dev.yaml');
    expect(api.requests.length).toBe(before);
  });

  it('should exit 1 in one line when RBAC denies a read, and poll when only the watch is denied', async () => {
    const denied = await FakeKubeApi.start({ tls });
    const cfg = writeKubeconfig(join(root, 'home', 'denied'), { server: denied.url, ca: tls.cert });
    denied.put(application({ revision: r, sync: 'OutOfSync' }));
    denied.put(deployment({ image: IMAGE }));
    for (const p of newPods()) denied.put(p);
    denied.deny('watch', '', 'pods');
    setTimeout(() => denied.put(application({ revision: r })), 300);
    const a = context(root);
    expect(await runVerifyCommand(['dev', '--kubeconfig', cfg], a.ctx)).toBe(0);
    expect(a.err).toContain(
      // client-node's Watch keeps only the status code of a refused watch, not the Status body.
      'verify dev: RBAC: user "ci-reader" (context "test") may not watch pods in namespace "guestlist-dev" (403 Forbidden); polling instead',
    );
    denied.deny('get', 'apps', 'deployments');
    const b = context(root);
    expect(await runVerifyCommand(['dev', '--kubeconfig', cfg], b.ctx)).toBe(1);
    expect(b.err.at(-1)).toMatch(
      /^verify dev: failed: RBAC: user "ci-reader" \(context "test"\) may not get deployments\.apps "guestlist" in namespace "guestlist-dev" \(403 Forbidden\): .* \(after [0-9.]+ m?s\)$/,
    );
    denied.remove(application({ revision: r }));
    const c = context(root);
    expect(await runVerifyCommand(['dev', '--kubeconfig', cfg], c.ctx)).toBe(1);
    expect(c.err.at(-1)).toMatch(
      /^verify dev: failed: Argo CD Application "guestlist-dev" not found in namespace "argocd" \(context "test"\) \(after/,
    );
    await denied.stop();
  });

  it('should exit 1 for a kubeconfig that does not exist, saying how to give verify access', async () => {
    const { ctx, err } = context(root);
    expect(await runVerifyCommand(['dev', '--kubeconfig', join(root, 'nope')], ctx)).toBe(1);
    expect(err).toEqual([
      `verify: kubeconfig ${join(root, 'nope')} (from --kubeconfig) does not exist; give verify read access to the cluster with --kubeconfig <file>, --context <ctx> or KUBECONFIG (npm run status -- --rbac <subject> prints the read-only RBAC)`,
    ]);
  });

  it('should exit 2 for usage errors', async () => {
    const cases: [string[], string][] = [
      [[], `verify: missing <env>; usage: ${USAGE}`],
      [['dev', 'prod'], `verify: unexpected argument "prod"; usage: ${USAGE}`],
      [
        ['prdo', '--kubeconfig', kubeconfig],
        'verify: environment "prdo": no such environment (there is no environments/prdo.yaml) (environments: dev)',
      ],
      [
        ['dev', '--timeout', '10'],
        'verify: --timeout "10" must be a positive duration such as 90s, 10m or 1h30m',
      ],
    ];
    for (const [args, message] of cases) {
      const { ctx, err } = context(root);
      expect(await runVerifyCommand(args, ctx)).toBe(2);
      expect(err).toEqual([message]);
    }
    const plain = createWorkspace([{ name: 'dev', tag: '0.2.0', digest: DIGEST_A }]);
    const { ctx, err } = context(plain);
    expect(await runVerifyCommand(['dev', '--kubeconfig', kubeconfig], ctx)).toBe(2);
    expect(err).toEqual([
      `verify: ${join(plain, 'dist')} is not inside a git clone; verify needs the repository's history`,
    ]);
    rmSync(plain, { recursive: true, force: true });
  });
});
