// The `cosign verify` arguments for Argo CD's image: the signer identity is the release workflow at exactly the
// tag being pinned (no pattern a signature of another release would also match).
import { describe, expect, it } from 'vitest';
import { cosignArgs } from './cosign';

describe('cosignArgs', () => {
  it("should name the exact identity of the release being pinned for Argo CD's image", () => {
    const args = cosignArgs('argoproj/argocd', 'v3.6.2', 'v3.6.2', 'quay.io/argoproj/argocd@sha256:abc');
    expect(args).toEqual([
      'verify',
      '--certificate-identity',
      'https://github.com/argoproj/argo-cd/.github/workflows/image-reuse.yaml@refs/tags/v3.6.2',
      '--certificate-oidc-issuer',
      'https://token.actions.githubusercontent.com',
      '--certificate-github-workflow-repository',
      'argoproj/argo-cd',
      'quay.io/argoproj/argocd@sha256:abc',
    ]);
    expect(args?.some((a) => a.includes('regexp'))).toBe(false);
  });

  it('should give no command for an image at another tag, or an image Argo CD does not sign', () => {
    expect(cosignArgs('argoproj/argocd', 'v3.6.1', 'v3.6.2', 'x')).toBeUndefined();
    expect(cosignArgs('dexidp/dex', 'v3.6.2', 'v3.6.2', 'x')).toBeUndefined();
  });
});
