// The sample-value predicates: each committed sample and each documented example is caught, and values shaped
// like real ones (random account ids, ACM ids, EKS issuer ids, owned domains) pass.
import { describe, expect, it } from 'vitest';
import { sampleAccountId, sampleGitUrl, sampleHost, sampleOidcId, sampleUuid } from './sample-values';

describe('sample values', () => {
  it.each([
    '111111111111',
    '222222222222',
    '333333333333',
    '000000000000',
    '123456789012',
    '111122223333',
    '121212121212',
    '123412341234',
  ])('should call the account id %s a sample', (id) => {
    expect(sampleAccountId(id)).toBeDefined();
  });

  it.each(['704928311352', '385106273948', '990112763045'])('should accept the account id %s', (id) => {
    expect(sampleAccountId(id)).toBeUndefined();
  });

  it.each([
    '00000000-0000-0000-0000-000000000000',
    '12345678-1234-1234-1234-123456789012',
    'abcdabcd-abcd-abcd-abcd-abcdabcdabcd',
    '11111111-2222-1111-2222-111111112222',
  ])('should call the certificate id %s a placeholder', (id) => {
    expect(sampleUuid(id)).toBeDefined();
  });

  it('should accept a random certificate id', () => {
    expect(sampleUuid('6f1c2a9e-3b7d-4e58-9a0c-d2e41b7f8c35')).toBeUndefined();
  });

  it.each([
    'registry.example.com',
    'guestlist.example.com',
    'example.org',
    'api.dev.example.net',
    'registry.test',
    'guestlist.example',
    'app.invalid',
    'registry.localhost',
    'printer.local',
  ])('should call the host %s unresolvable', (host) => {
    expect(sampleHost(host)).toBeDefined();
  });

  it.each([
    'guestlist.acme-events.io',
    'notexample.com',
    'example.com.au',
    '704928311352.dkr.ecr.eu-west-1.amazonaws.com',
    'ghcr.io',
  ])('should accept the host %s', (host) => {
    expect(sampleHost(host)).toBeUndefined();
  });

  it.each([
    '0123456789ABCDEF0123456789ABCDEF',
    '1123456789ABCDEF0123456789ABCDEF',
    '2123456789ABCDEF0123456789ABCDEF',
    'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  ])('should call the OIDC issuer id %s made up', (id) => {
    expect(sampleOidcId(id)).toBeDefined();
  });

  it('should accept an issuer id shaped like the ones EKS assigns', () => {
    expect(sampleOidcId('5C8B1E0F3A9D27E4B6F01C9D8A3E7B52')).toBeUndefined();
  });

  it.each([
    'https://github.com/example/guestlist-gitops.git',
    'git@github.com:your-org/guestlist-gitops.git',
    'https://git.example.com/platform/guestlist.git',
    'ssh://git@github.com/OWNER/guestlist.git',
  ])('should call the clone URL %s a sample', (url) => {
    expect(sampleGitUrl(url)).toBeDefined();
  });

  it.each(['https://github.com/acme-events/guestlist-gitops.git', 'git@gitlab.com:platform/guestlist.git'])(
    'should accept the clone URL %s',
    (url) => {
      expect(sampleGitUrl(url)).toBeUndefined();
    },
  );
});
