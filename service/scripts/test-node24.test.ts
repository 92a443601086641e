import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { imageNodeVersion } from './test-node24';

describe('imageNodeVersion', () => {
  it("should read the image's exact Node 24 version from service/Dockerfile", () => {
    const dockerfile = readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8');
    expect(imageNodeVersion(dockerfile)).toMatch(/^24\.\d+\.\d+$/);
  });

  it('should refuse a floating tag, naming the rule', () => {
    expect(() => imageNodeVersion('ARG NODE_IMAGE=node:24-slim\n')).toThrow(
      'service/Dockerfile: ARG NODE_IMAGE must name an exact node:<major.minor.patch> image',
    );
  });
});
