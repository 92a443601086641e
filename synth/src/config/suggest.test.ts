import { describe, expect, it } from 'vitest';
import { didYouMean, nearest } from './suggest';

describe('nearest', () => {
  it('should suggest the closest key for typos, case slips and transpositions', () => {
    const keys = ['name', 'image', 'replicas', 'autoscaling', 'logLevel', 'digest', 'tag'];
    expect(nearest('loglevel', keys)).toBe('logLevel');
    expect(nearest('digets', keys)).toBe('digest');
    expect(nearest('replica', keys)).toBe('replicas');
    expect(nearest('autoscale', keys)).toBe('autoscaling');
  });

  it('should suggest nothing when no candidate is close', () => {
    expect(nearest('ab', ['tag', 'name'])).toBeUndefined();
    expect(nearest('vibes', ['probes-x', 'resources'])).toBeUndefined();
    expect(didYouMean('zzz', ['dev', 'prod'])).toBe('');
    expect(didYouMean('prdo', ['dev', 'prod'])).toBe(' did you mean "prod"?');
  });
});
