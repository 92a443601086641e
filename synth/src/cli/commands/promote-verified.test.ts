import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIn } from '../../../test/cli';
import { application, deployment, pod, REPOSITORY } from '../../../test/cluster-fixtures';
import { FakeKubeApi } from '../../../test/fake-kube-api';
import { writeKubeconfig } from '../../../test/kubeconfig';
import { opsRepo } from '../../../test/ops-repo';
import { selfSignedCertificate } from '../../../test/self-signed';
import type { TempRepo } from '../../../test/temp-repo';

// Verification is decided at the cluster-read boundary only: the real gate (the cluster module's verify,
// through @kubernetes/client-node over TLS with a bearer token) reads a local fake API server.
const TOKEN = 'promote-token-0123456789';
// Digests as a registry reports them (the policy gate rejects made-up patterns).
const DIGEST_A = `sha256:${createHash('sha256').update('guestlist 0.2.0').digest('hex')}`;
const DIGEST_B = `sha256:${createHash('sha256').update('guestlist 0.3.0').digest('hex')}`;
const tls = selfSignedCertificate();
let api: FakeKubeApi;
let repo: TempRepo;
let kubeconfig: string;

beforeAll(async () => {
  repo = opsRepo();
  api = await FakeKubeApi.start({ tls, token: TOKEN });
  kubeconfig = writeKubeconfig(join(repo.dir, '..', 'home', 'kubeconfig'), {
    server: api.url,
    token: TOKEN,
    ca: tls.cert,
  });
});
afterAll(async () => {
  await api.stop();
  repo.cleanup();
});

async function run(argv: readonly string[], timeout = '5s') {
  // promote reads the cluster through the kubeconfig it is given, as a person or the workflow gives it.
  const access = argv[0] === 'promote' ? ['--kubeconfig', kubeconfig, '--timeout', timeout] : [];
  return runIn(repo.dir, [...argv, ...access]);
}

/** The cluster as Argo CD leaves it after a good sync of the current HEAD: `env` runs `image`. */
function live(env: string, image: string, digest: string): void {
  const revision = repo.git(['rev-parse', 'HEAD']);
  api.put(application({ env, revision }));
  api.put(deployment({ env, image }));
  for (const x of ['a', 'b', 'c']) api.put(pod({ env, name: `guestlist-7d9c8b6f5-${x}`, image, digest }));
}

const trailer = (key: string) =>
  repo.git(['log', '-1', `--format=%(trailers:key=${key},valueonly,separator=%x2C)`]);

describe('promote dev → staging → prod, gated on verify', () => {
  const imageA = `${REPOSITORY}:0.2.0@${DIGEST_A}`;
  const imageB = `${REPOSITORY}:0.3.0@${DIGEST_B}`;

  it('should promote dev to staging once dev is verified live at the image', async () => {
    expect((await run(['bump', 'dev', '--tag', '0.2.0', '--digest', DIGEST_A, '--commit'])).code).toBe(0);
    const verifiedAt = repo.git(['rev-parse', 'HEAD']);
    live('dev', imageA, DIGEST_A);
    const r = await run(['promote', 'dev', 'staging', '--commit', '--format', 'markdown']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('promote dev → staging: 0.2.0');
    expect(r.out).toContain(`| verification | ✅ passed: dev verified live at ${verifiedAt} |`);
    expect(trailer('Guestlist-Verified')).toBe('passed');
    expect(trailer('Guestlist-Verified-Revision')).toBe(verifiedAt);
    expect(trailer('Guestlist-Image')).toBe(imageA);
  });

  it('should promote staging to prod once staging is verified live', async () => {
    live('staging', imageA, DIGEST_A);
    const r = await run(['promote', 'staging', 'prod', '--commit', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      status: 'changed',
      from: 'staging',
      to: 'prod',
      image: imageA,
      verified: 'passed',
    });
    expect(repo.read('environments/prod.yaml')).toContain(`  tag: "0.2.0"\n  digest: ${DIGEST_A}\n`);
  });

  it('should refuse while the cluster still runs the previous image, changing nothing', async () => {
    expect((await run(['bump', 'dev', '--tag', '0.3.0', '--digest', DIGEST_B, '--commit'])).code).toBe(0);
    const before = repo.snapshot();
    const r = await run(['promote', 'dev', 'staging', '--commit'], '800ms');
    expect(r.code).toBe(1);
    expect(r.err.split('\n').at(-1)).toMatch(
      new RegExp(
        `^promote: dev → staging: dev is not verified live at ${imageB.replace(/[.]/g, '\\.')}: still waiting after \\d+ s: .+ \\(wait for it, or pass --skip-verify --reason "<why>"\\)$`,
      ),
    );
    expect(repo.snapshot()).toEqual(before);
  });

  it('should roll staging back to the last image verified there, pin it, and block promotions until unpin', async () => {
    live('dev', imageB, DIGEST_B);
    expect((await run(['promote', 'dev', 'staging', '--commit'])).code).toBe(0);
    expect(repo.read('environments/staging.yaml')).toContain('tag: "0.3.0"');
    // 0.2.0 passed verification live in staging (the promotion staging → prod proved it): the rollback target.
    const r = await run(['rollback', 'staging', '--reason', '0.3.0 breaks checkout', '--commit', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      image: imageA,
      evidence: expect.stringMatching(/^verified live in staging \(promotion [0-9a-f]{12}\)$/),
    });
    expect(trailer('Guestlist-Previous-Image')).toBe(imageB);
    const blocked = await run(['promote', 'dev', 'staging', '--commit']);
    expect(blocked.code).toBe(1);
    expect(blocked.err).toBe(
      'promote: environments/staging.yaml: environment "staging" is pinned since 2026-03-04T05:06:07Z ("0.3.0 breaks checkout"); promote refuses a pinned environment (run unpin staging first)',
    );
    expect((await run(['unpin', 'staging', '--commit'])).code).toBe(0);
    expect((await run(['promote', 'dev', 'staging', '--commit'])).code).toBe(0);
    expect(repo.read('environments/staging.yaml')).toContain('tag: "0.3.0"');
  });

  it('should show the timeline of staging with sources and verification', async () => {
    const r = await run(['history', 'staging', '--json']);
    const entries = JSON.parse(r.out).entries.map((e: Record<string, unknown>) => [
      e.action,
      e.tag,
      e.source,
      e.verified,
      e.pinned,
    ]);
    expect(entries).toEqual([
      ['promote', '0.3.0', 'dev', 'passed', false],
      ['unpin', '0.2.0', null, null, false],
      ['rollback', '0.2.0', null, null, true],
      ['promote', '0.3.0', 'dev', 'passed', false],
      ['promote', '0.2.0', 'dev', 'passed', false],
      ['manual', '0.1.0', null, null, false],
    ]);
  });
});
