// The argocd-install-pin warning as a pure function: each state of the kustomization's pin.
import { describe, expect, it } from 'vitest';
import { argocdInstallPinFinding } from './argocd-install-pin';

const COMMIT = 'c0ffee'.padEnd(40, '1');
const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
const file = (ref: string, images = '', comment = '') =>
  `# comment\nresources:\n  - namespace.yaml\n  - https://raw.githubusercontent.com/argoproj/argo-cd/${ref}/manifests/install.yaml${comment}\n${images}`;

describe('argocdInstallPinFinding', () => {
  it('should warn about a tag pin, at the URL line, with the command that pins it', () => {
    expect(argocdInstallPinFinding(file('v3.6.2'))).toMatchObject({
      severity: 'warns',
      rule: 'argocd-install-pin',
      line: 4,
      key: 'resources',
      command: 'npm run argocd:pin -- v3.6.2',
      why: expect.stringMatching(/^Argo CD install pinned by tag, not by commit\/digest/),
    });
  });

  it('should warn about a commit without a digest for every image, and a branch', () => {
    const partial = `images:\n  - name: a.test/x\n    digest: ${DIGEST}\n  - name: a.test/y\n    newTag: "1"\n`;
    expect(argocdInstallPinFinding(file(COMMIT, partial, ' # v3.6.2'))?.why).toMatch(
      /not every image by digest/,
    );
    expect(argocdInstallPinFinding(file(COMMIT, '', ' # v3.6.2'))?.why).toMatch(/not every image by digest/);
    expect(argocdInstallPinFinding(file('master'))?.why).toMatch(/pinned by the ref master/);
  });

  it('should say nothing of a commit with the tag noted and every image by digest, or of an absent file', () => {
    const images = `images:\n  - name: a.test/x\n    digest: ${DIGEST}\n`;
    expect(argocdInstallPinFinding(file(COMMIT, images, ' # v3.6.2'))).toBeUndefined();
    expect(argocdInstallPinFinding(undefined)).toBeUndefined();
  });

  it('should warn, with the reason, when the file holds no upstream install.yaml', () => {
    expect(argocdInstallPinFinding('resources: [namespace.yaml]\n')?.why).toMatch(
      /cannot tell how Argo CD is pinned: .*holds 0 remote/,
    );
  });
});
