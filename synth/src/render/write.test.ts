import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clearSwapFailure, failSwap } from '../../test/failing-swap';
import { removeAbandonedStaging, writeAtomic } from './write';

vi.mock('node:fs', async (importOriginal) =>
  (await import('../../test/failing-swap')).withFailingSwap(await importOriginal()),
);

let root: string;

/** Every file under a folder with its content, for before/after comparison. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const name of readdirSync(d, { withFileTypes: true })) {
      if (name.isDirectory()) walk(join(d, name.name), `${prefix}${name.name}/`);
      else out[`${prefix}${name.name}`] = readFileSync(join(d, name.name), 'utf8');
    }
  };
  walk(dir, '');
  return out;
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'synth-write-'));
  for (const env of ['dev', 'prod']) {
    mkdirSync(join(root, 'dist', env), { recursive: true });
    writeFileSync(join(root, 'dist', env, 'old.yaml'), `old ${env}\n`);
  }
});

afterEach(() => {
  clearSwapFailure();
  rmSync(root, { recursive: true, force: true });
});

describe('writeAtomic', () => {
  it('should replace whole folders, so a removed file disappears', () => {
    writeAtomic(root, [
      { path: join(root, 'dist', 'dev'), files: new Map([['new.yaml', 'new dev\n']]) },
      { path: join(root, 'dist', 'prod'), remove: true },
      { path: join(root, 'schema.json'), content: '{}\n' },
    ]);
    expect(snapshot(root)).toEqual({ 'dist/dev/new.yaml': 'new dev\n', 'schema.json': '{}\n' });
  });

  it('should leave everything exactly as it was when a failure happens between folders', () => {
    const before = snapshot(root);
    const targets = [
      { path: join(root, 'dist', 'dev'), files: new Map([['new.yaml', 'new dev\n']]) },
      { path: join(root, 'dist', 'prod'), files: new Map([['new.yaml', 'new prod\n']]) },
      { path: join(root, 'dist', 'staging'), files: new Map([['new.yaml', 'new staging\n']]) },
    ];
    failSwap(2, 'injected failure before the third swap');
    expect(() => writeAtomic(root, targets)).toThrow('injected failure before the third swap');
    expect(snapshot(root)).toEqual(before);
    expect(readdirSync(root)).toEqual(['dist']);
  });

  it('should leave everything as it was when staging fails before any swap', () => {
    const before = snapshot(root);
    // A file name with a slash into a missing folder makes the staging write itself fail.
    const targets = [{ path: join(root, 'dist', 'dev'), files: new Map([['missing/x.yaml', 'x']]) }];
    expect(() => writeAtomic(root, targets)).toThrow(/ENOENT/);
    expect(snapshot(root)).toEqual(before);
    expect(existsSync(join(root, 'dist', 'dev', 'old.yaml'))).toBe(true);
  });

  it('should remove staging folders of dead synth processes and keep those of live ones', () => {
    // pid 2^22 + 1 is above Linux's pid_max, so no process has it.
    const dead = join(root, `.synth-staging-${2 ** 22 + 1}-abc`);
    const live = join(root, `.synth-staging-${process.ppid}-abc`);
    mkdirSync(join(dead, 'old-0'), { recursive: true });
    mkdirSync(live);
    removeAbandonedStaging(root);
    expect(readdirSync(root).sort()).toEqual([`.synth-staging-${process.ppid}-abc`, 'dist']);
  });
});
