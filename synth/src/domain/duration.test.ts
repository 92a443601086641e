import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration';

describe('parseDuration', () => {
  it('should read single and combined units', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
  });

  it('should refuse anything else', () => {
    for (const bad of ['', '10', '5 m', '1.5m', '-1s', '1d', 'm']) expect(parseDuration(bad)).toBeUndefined();
  });

  it('should format milliseconds for people', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_340)).toBe('12.3 s');
    expect(formatDuration(245_000)).toBe('4 min 5 s');
    expect(formatDuration(120_000)).toBe('2 min');
  });
});
