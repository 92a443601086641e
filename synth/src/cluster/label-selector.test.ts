import { describe, expect, it } from 'vitest';
import { parseLabelSelector } from '../../test/selector-match';
import { formatLabelSelector } from './label-selector';

describe('formatLabelSelector', () => {
  it('should write matchLabels and every matchExpressions operator the API accepts', () => {
    const text = formatLabelSelector({
      matchLabels: { app: 'guestlist', tier: 'web' },
      matchExpressions: [
        { key: 'track', operator: 'In', values: ['stable', 'canary'] },
        { key: 'env', operator: 'NotIn', values: ['test'] },
        { key: 'owner', operator: 'Exists' },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    });
    expect(text).toBe('app=guestlist,tier=web,track in (canary,stable),env notin (test),owner,!legacy');
    const match = parseLabelSelector(text);
    expect(match({ app: 'guestlist', tier: 'web', track: 'canary', env: 'prod', owner: 'x' })).toBe(true);
    expect(match({ app: 'guestlist', tier: 'web', track: 'canary', env: 'test', owner: 'x' })).toBe(false);
    expect(match({ app: 'guestlist', tier: 'web', track: 'canary', owner: 'x', legacy: 'y' })).toBe(false);
  });

  it('should refuse an unknown operator with the key and operator named', () => {
    expect(() =>
      formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }),
    ).toThrow('label selector operator "Gt" of key "a" is not one of In, NotIn, Exists, DoesNotExist');
  });
});
