import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeKubeconfig } from '../../test/kubeconfig';
import { loadKubeConfig } from './kube-config';

describe('loadKubeConfig', () => {
  let dir: string;
  let home: string;
  let file: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kube-config-'));
    home = join(dir, 'home');
    mkdirSync(home);
    file = writeKubeconfig(join(dir, 'a.yaml'), {
      server: 'https://127.0.0.1:6443',
      token: 'tok',
      otherContexts: ['staging'],
    });
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('should use --kubeconfig and its current-context', () => {
    const access = loadKubeConfig({ kubeconfig: file, env: {}, home });
    expect({ ...access, config: undefined }).toEqual({
      config: undefined,
      context: 'test',
      server: 'https://127.0.0.1:6443',
      user: 'ci-reader',
      source: file,
    });
  });

  it('should merge the files in KUBECONFIG and apply --context', () => {
    // Both files define "test-cluster": like kubectl, the first file's definition wins.
    const second = writeKubeconfig(join(dir, 'b.yaml'), { server: 'https://10.0.0.1', context: 'prod' });
    const access = loadKubeConfig({ env: { KUBECONFIG: `${file}:${second}` }, home, context: 'prod' });
    expect([access.context, access.server, access.source]).toEqual([
      'prod',
      'https://127.0.0.1:6443',
      `${file}:${second}`,
    ]);
    expect(loadKubeConfig({ env: { KUBECONFIG: `${second}:${file}` }, home }).context).toBe('prod');
  });

  it('should read ~/.kube/config when nothing else is given', () => {
    writeKubeconfig(join(home, '.kube', 'config'), { server: 'https://127.0.0.1:7443' });
    expect(loadKubeConfig({ env: {}, home }).server).toBe('https://127.0.0.1:7443');
    rmSync(join(home, '.kube'), { recursive: true });
  });

  it('should name a missing kubeconfig file and where it came from', () => {
    expect(() => loadKubeConfig({ env: { KUBECONFIG: join(dir, 'nope.yaml') }, home })).toThrow(
      `kubeconfig ${join(dir, 'nope.yaml')} (from KUBECONFIG) does not exist`,
    );
  });

  it('should say where it looked when there is no kubeconfig at all', () => {
    expect(() => loadKubeConfig({ env: {}, home, inClusterRoot: dir })).toThrow(
      `no kubeconfig: --kubeconfig not given, KUBECONFIG unset, ${home}/.kube/config does not exist, and this is not a pod with a service account token (${dir}/var/run/secrets/kubernetes.io/serviceaccount/token)`,
    );
  });

  it('should name an unknown context and list the known ones', () => {
    expect(() => loadKubeConfig({ kubeconfig: file, env: {}, context: 'prod-eu' })).toThrow(
      `context "prod-eu" is not in kubeconfig ${file} (contexts: test, staging)`,
    );
  });

  it('should ask for --context when the kubeconfig has no current-context', () => {
    const none = writeKubeconfig(join(dir, 'none.yaml'), { server: 'https://x', noCurrentContext: true });
    expect(() => loadKubeConfig({ kubeconfig: none, env: {} })).toThrow(
      `kubeconfig ${none} has no current-context; pass --context (contexts: test)`,
    );
  });

  it('should report a kubeconfig that is not YAML in one line', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'clusters: [\n');
    expect(() => loadKubeConfig({ kubeconfig: bad, env: {} })).toThrow(
      /^kubeconfig .*bad\.yaml cannot be read: [^\n]+$/,
    );
  });
});
