// How bench:compare ends on a failure: any error is one line `bench:compare: <first line>` (no stack trace),
// the stack only with BENCH_DEBUG=1, and a refusal never with one.
import { describe, expect, it } from 'vitest';
import { failureText, firstLine, Refused } from './failure';

describe('failureText', () => {
  it('should print a plain error (a server that did not start) as its first line only, without the stack', () => {
    const err = new Error(
      'build/compare/base.mjs exited with 1: Error: listen EADDRINUSE\n    at Server.listen',
    );
    expect(failureText('bench:compare', err, false)).toBe(
      'bench:compare: build/compare/base.mjs exited with 1: Error: listen EADDRINUSE\n',
    );
  });

  it('should print a refusal as one line, even with BENCH_DEBUG=1', () => {
    const err = new Refused('base GET /healthz: 3 errors (ECONNREFUSED)');
    expect(failureText('bench:compare', err, true)).toBe(
      'bench:compare: base GET /healthz: 3 errors (ECONNREFUSED)\n',
    );
  });

  it('should add the stack of an unexpected error with BENCH_DEBUG=1', () => {
    const err = new TypeError('x is undefined');
    const text = failureText('bench:compare', err, true);
    expect(text.split('\n')[0]).toBe('bench:compare: x is undefined');
    expect(text).toContain(err.stack as string);
  });

  it('should take the first non-empty line, and say something for an empty message or a thrown non-error', () => {
    expect(firstLine(new Error('\n  Build failed with 1 error:\nmain.ts:1:0: ERROR: x'))).toBe(
      'Build failed with 1 error:',
    );
    expect(firstLine(new RangeError(''))).toBe('RangeError');
    expect(firstLine('gone')).toBe('gone');
  });
});
