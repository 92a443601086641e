import { describe, expect, it } from 'vitest';
import {
  DIGEST_PATTERN,
  digestOfImageId,
  digestProblem,
  formatImage,
  isPlaceholderDigest,
  parseImage,
  parseTaggedImage,
  REPOSITORY_PATTERN,
  runsExpectedImage,
  sameImage,
  shortImage,
  TAG_PATTERN,
} from './image-ref';

const DIGEST_A = `sha256:${'a1'.repeat(32)}`;
const DIGEST_B = `sha256:${'b2'.repeat(32)}`;
/** A digest as a registry computes one (random-looking). */
const REAL = 'sha256:2ca9225ccae23b1f1a6002d514da74c5d28198302c811a3605cef62c752629f1';

describe('parseImage', () => {
  it('should split repository, tag and digest, keeping a registry port in the repository', () => {
    expect(parseImage(`registry.example.com:5000/team/guestlist:0.1.0@${DIGEST_A}`)).toEqual({
      repository: 'registry.example.com:5000/team/guestlist',
      tag: '0.1.0',
      digest: DIGEST_A,
    });
    expect(parseImage('registry.example.com:5000/guestlist')).toEqual({
      repository: 'registry.example.com:5000/guestlist',
    });
    expect(parseImage(`guestlist@${DIGEST_B}`)).toEqual({ repository: 'guestlist', digest: DIGEST_B });
  });

  it('should format back to the same reference and a short form', () => {
    const ref = `registry.example.com/guestlist:0.1.0@${DIGEST_A}`;
    expect(formatImage(parseImage(ref))).toBe(ref);
    expect(shortImage(parseImage(ref))).toBe('0.1.0@sha256:a1a1a1a1');
  });
});

describe('digestOfImageId', () => {
  it('should read the pulled digest from containerd, CRI-O and dockershim image ids', () => {
    expect(digestOfImageId(`registry.example.com/guestlist@${DIGEST_A}`)).toBe(DIGEST_A);
    expect(digestOfImageId(`docker-pullable://registry.example.com/guestlist@${DIGEST_A}`)).toBe(DIGEST_A);
    expect(digestOfImageId(DIGEST_B)).toBe(DIGEST_B);
  });

  it('should give undefined for an id without a sha256 digest', () => {
    expect(digestOfImageId('')).toBeUndefined();
    expect(digestOfImageId(undefined)).toBeUndefined();
    expect(digestOfImageId('registry.example.com/guestlist@sha256:abc')).toBeUndefined();
  });
});

describe('runsExpectedImage', () => {
  it('should compare the pulled digest when the expected image pins one', () => {
    const expected = parseImage(`registry.example.com/guestlist:0.1.0@${DIGEST_A}`);
    const image = 'registry.example.com/guestlist:0.1.0';
    expect(
      runsExpectedImage(expected, { image, imageID: `registry.example.com/guestlist@${DIGEST_A}` }),
    ).toBe(true);
    expect(
      runsExpectedImage(expected, { image, imageID: `registry.example.com/guestlist@${DIGEST_B}` }),
    ).toBe(false);
  });

  it('should compare repository and tag otherwise, with Docker Hub prefixes normalized', () => {
    const expected = parseImage('nginx:1.27');
    expect(runsExpectedImage(expected, { image: 'docker.io/library/nginx:1.27', imageID: '' })).toBe(true);
    expect(runsExpectedImage(expected, { image: 'docker.io/library/nginx:1.26', imageID: '' })).toBe(false);
  });

  it('should treat a digest on one side only as a different image in sameImage', () => {
    expect(sameImage(parseImage('a/b:1'), parseImage(`a/b:1@${DIGEST_A}`))).toBe(false);
    expect(sameImage(parseImage('docker.io/library/b:1'), parseImage('b:1'))).toBe(true);
  });
});

describe('sameImage: one equality for environment files, flags, manifests and pods', () => {
  it('should treat docker.io/library/x, index.docker.io/library/x, docker.io/x and x as one repository', () => {
    // A container runtime pulls the same image for all four (Docker Hub is the default registry, library/ its
    // default namespace), so bump, promote and verify must not see a change between them.
    for (const spelled of ['docker.io/library/nginx', 'index.docker.io/library/nginx', 'docker.io/nginx']) {
      expect(sameImage({ repository: spelled, tag: '1.27' }, { repository: 'nginx', tag: '1.27' })).toBe(
        true,
      );
    }
    expect(sameImage({ repository: 'docker.io/team/x', tag: '1' }, { repository: 'team/x', tag: '1' })).toBe(
      true,
    );
  });

  it('should keep other registries, other tags and a digest on one side apart', () => {
    expect(
      sameImage({ repository: 'ghcr.io/library/nginx', tag: '1' }, { repository: 'nginx', tag: '1' }),
    ).toBe(false);
    expect(sameImage({ repository: 'nginx', tag: '1' }, { repository: 'nginx', tag: '2' })).toBe(false);
    expect(
      sameImage({ repository: 'nginx', tag: '1', digest: REAL }, { repository: 'nginx', tag: '1' }),
    ).toBe(false);
  });
});

describe('the patterns the environment schema uses', () => {
  it('should accept what registries accept and nothing looser', () => {
    expect(REPOSITORY_PATTERN.test('registry.example.com:5000/team/guest-list_v2')).toBe(true);
    expect(REPOSITORY_PATTERN.test('Registry/Guestlist')).toBe(false);
    expect(REPOSITORY_PATTERN.test('guestlist:0.1.0')).toBe(false);
    expect(TAG_PATTERN.test('sha-1a2b3c4')).toBe(true);
    expect(TAG_PATTERN.test('.hidden')).toBe(false);
    expect(TAG_PATTERN.test('x'.repeat(129))).toBe(false);
    expect(DIGEST_PATTERN.test(REAL)).toBe(true);
    expect(DIGEST_PATTERN.test(REAL.toUpperCase())).toBe(false);
    expect(DIGEST_PATTERN.test(REAL.slice(0, 20))).toBe(false);
  });

  it('should call a repeated pattern or too few distinct digits a placeholder, a real digest not', () => {
    expect(isPlaceholderDigest(`sha256:${'0'.repeat(64)}`)).toBe(true);
    expect(isPlaceholderDigest(DIGEST_A)).toBe(true);
    expect(isPlaceholderDigest(REAL)).toBe(false);
    expect(digestProblem(DIGEST_A)).toMatch(/^a placeholder/);
    expect(digestProblem(REAL)).toBeUndefined();
  });
});

describe('parseTaggedImage: a reference a person typed', () => {
  it('should read repository:tag@digest, or a tag alone in the default repository', () => {
    expect(parseTaggedImage(`registry.example.com:5000/g:0.2.0@${REAL}`, 'x')).toEqual({
      image: { repository: 'registry.example.com:5000/g', tag: '0.2.0', digest: REAL },
    });
    expect(parseTaggedImage('0.2.0', 'registry.example.com/guestlist')).toEqual({
      image: { repository: 'registry.example.com/guestlist', tag: '0.2.0' },
    });
    const ref = `registry.example.com/guestlist:0.2.0@${REAL}`;
    const parsed = parseTaggedImage(ref, 'x');
    expect('image' in parsed && formatImage(parsed.image)).toBe(ref);
  });

  it('should name the problem and the part it is about', () => {
    expect(parseTaggedImage('registry:5000/guestlist', 'x')).toEqual({
      problem: 'has no tag (an image reference needs <repository>:<tag>)',
      part: 'registry:5000/guestlist',
    });
    expect(parseTaggedImage('a@b@c', 'x')).toMatchObject({ part: 'a@b@c' });
    expect(parseTaggedImage('Bad/Repo:1', 'x')).toMatchObject({
      problem: 'repository "Bad/Repo" is not a valid image repository',
    });
    expect(parseTaggedImage('r/g:-1', 'x')).toMatchObject({ part: '-1' });
    expect(parseTaggedImage('r/g:1@sha256:abc', 'x')).toMatchObject({ part: 'sha256:abc' });
  });
});
