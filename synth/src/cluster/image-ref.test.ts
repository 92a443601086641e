import { describe, expect, it } from 'vitest';
import {
  digestOfImageId,
  formatImage,
  parseImage,
  runsExpectedImage,
  sameImage,
  shortImage,
} from './image-ref';
import { DIGEST_A, DIGEST_B } from './testing/fixtures';

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
