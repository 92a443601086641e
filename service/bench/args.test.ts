// The benchmarks' one argument parser: defaults, ranges, choices, and one-line usage errors.
import { describe, expect, it } from 'vitest';
import { BenchUsageError, parseBenchArgs, usageOf } from './args';

const specs = {
  seconds: { default: 8, min: 1, max: 60 },
  scenario: { default: 'get', oneOf: ['get', 'post'] },
  base: { default: 'HEAD~1', pattern: /^[\w./~^-]+$/, rule: 'a git revision' },
} as const;

describe('parseBenchArgs', () => {
  it('should give the defaults, and parse what is given', () => {
    expect(parseBenchArgs([], specs)).toEqual({ seconds: 8, scenario: 'get', base: 'HEAD~1' });
    expect(parseBenchArgs(['--seconds', '12', '--scenario', 'post', '--base', 'v1.2'], specs)).toEqual({
      seconds: 12,
      scenario: 'post',
      base: 'v1.2',
    });
    expect(parseBenchArgs(['--seconds=60'], specs)).toEqual({ seconds: 60, scenario: 'get', base: 'HEAD~1' });
  });

  it.each([
    [['--seconds', '61'], '--seconds="61" must be a whole number from 1 to 60'],
    [['--seconds', '1.5'], '--seconds="1.5" must be a whole number from 1 to 60'],
    [['--scenario', 'put'], '--scenario="put" must be one of get, post'],
    [['--base', 'a b'], '--base="a b" must be a git revision'],
    [['--minutes', '3'], "Unknown option '--minutes'"],
    [['--seconds'], "Option '--seconds <value>' argument missing"],
  ])('should refuse %j in one line', (argv, message) => {
    expect(() => parseBenchArgs(argv, specs)).toThrow(BenchUsageError);
    expect(() => parseBenchArgs(argv, specs)).toThrow(message);
  });

  it('should write the usage line from the declarations', () => {
    expect(usageOf('bench:x', specs)).toBe(
      'usage: npm run bench:x -- [--seconds 1-60] [--scenario get|post] [--base <a git revision>]',
    );
  });
});
