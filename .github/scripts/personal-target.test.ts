import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type EnvironmentLink, personalTarget } from './personal-target';

const root = join(import.meta.dirname, '..', '..');
const chain: EnvironmentLink[] = [
  { name: 'dana' },
  { name: 'dev' },
  { name: 'prod', promotion: { from: 'staging' } },
  { name: 'staging', promotion: { from: 'dev' } },
];

describe('personalTarget', () => {
  it('should deploy <name>-feature-* to the personal environment <name>', () => {
    expect(personalTarget('dana-feature-login-page', chain)).toEqual({
      environment: 'dana',
      tagPrefix: 'dana-feature-',
    });
  });

  it('should take everything before the first -feature- as the name', () => {
    const envs = [...chain, { name: 'dana-levi' }];
    expect(personalTarget('dana-levi-feature-x-feature-y', envs)).toEqual({
      environment: 'dana-levi',
      tagPrefix: 'dana-levi-feature-',
    });
  });

  it('should deploy nothing when the branch does not follow the convention', () => {
    expect(personalTarget('Dana-feature-x', chain)).toEqual({
      environment: '',
      reason: 'branch "Dana-feature-x" does not match <name>-feature-<topic>',
    });
    expect(personalTarget('dana-feature-', chain)).toEqual({
      environment: '',
      reason: 'branch "dana-feature-" does not match <name>-feature-<topic>',
    });
  });

  it('should deploy nothing when the environment file does not exist', () => {
    expect(personalTarget('omer-feature-x', chain)).toEqual({
      environment: '',
      reason: 'branch "omer-feature-x": environments/omer.yaml does not exist on main',
    });
  });

  it('should never deploy a feature build into a promotion chain', () => {
    expect(personalTarget('dev-feature-x', chain)).toEqual({
      environment: '',
      reason:
        'branch "dev-feature-x": environment "dev" feeds "staging"; only personal environments (outside a promotion chain) take feature builds',
    });
    expect(personalTarget('prod-feature-x', chain)).toEqual({
      environment: '',
      reason:
        'branch "prod-feature-x": environment "prod" is promoted from "staging"; only personal environments (outside a promotion chain) take feature builds',
    });
  });
});

describe('personal-target CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'personal-target-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (...args: string[]) =>
    spawnSync(
      process.execPath,
      ['--import', 'tsx', join(root, '.github/scripts/personal-target.ts'), ...args],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );

  it('should print GITHUB_OUTPUT lines for the real environment files', () => {
    for (const f of ['dev.yaml', 'staging.yaml', 'prod.yaml']) {
      copyFileSync(join(root, 'environments', f), join(dir, f));
    }
    // The cluster entries the files name (aws.cluster) live beside them.
    cpSync(join(root, 'environments', 'clusters'), join(dir, 'clusters'), { recursive: true });
    const dev = readFileSync(join(root, 'environments', 'dev.yaml'), 'utf8');
    writeFileSync(
      join(dir, 'dana.yaml'),
      dev
        .replace('name: dev', 'name: dana')
        .replace('guestlist.dev.example.com', 'guestlist.dana.example.com'),
    );
    const found = run('dana-feature-login', dir);
    expect([found.status, found.stdout, found.stderr]).toEqual([
      0,
      'environment=dana\ntag-prefix=dana-feature-\n',
      '',
    ]);
    const none = run('staging-feature-login', dir);
    expect([none.status, none.stdout]).toEqual([0, 'environment=\n']);
    expect(none.stderr).toBe(
      '::notice::nothing to deploy: branch "staging-feature-login": environment "staging" is promoted from "dev"; only personal environments (outside a promotion chain) take feature builds\n',
    );
  });

  it('should exit 1 naming the file when an environment file is invalid, and 2 without a branch', () => {
    writeFileSync(join(dir, 'dana.yaml'), 'name: dana\nimage:\n  tag: [1]\n');
    const bad = run('dana-feature-login', dir);
    expect([bad.status, bad.stdout]).toEqual([1, '']);
    // The loader's own message (synth/src/config) follows its file:line:col and key.
    expect(bad.stderr.split('\n').slice(-3)).toEqual([
      expect.stringMatching(new RegExp(`^${basename(dir)}/dana\\.yaml:3:8 image\\.tag: `)),
      'personal-target: environment files are invalid',
      '',
    ]);
    const usage = run();
    expect([usage.status, usage.stderr]).toEqual([2, 'usage: personal-target <branch> [environments dir]\n']);
  });
});
