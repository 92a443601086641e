import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadRepoSettings, parseRepoSettings, RepoSettingsError, repoSettingsFor } from './repo-settings';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const REAL = readFileSync(join(ROOT, 'argocd/repo.yaml'), 'utf8');

function errorsOf(text: string): readonly string[] {
  try {
    parseRepoSettings(text);
  } catch (error) {
    if (error instanceof RepoSettingsError) return error.errors;
    throw error;
  }
  throw new Error('expected a RepoSettingsError');
}

describe('loadRepoSettings', () => {
  it('should read argocd/repo.yaml of the repository', () => {
    expect(loadRepoSettings(ROOT)).toEqual({
      repoURL: 'https://github.com/example/guestlist-gitops.git',
      targetRevision: 'main',
      distPath: 'dist',
    });
  });

  it('should find argocd/repo.yaml beside an environments folder', () => {
    expect(repoSettingsFor(join(ROOT, 'environments'))).toEqual(loadRepoSettings(ROOT));
  });

  it('should accept ssh and scp-like clone URLs', () => {
    for (const url of ['git@github.com:me/guestlist.git', 'ssh://git@example.com:2222/me/guestlist.git']) {
      expect(parseRepoSettings(REAL.replace(/repoURL: .*/, `repoURL: ${url}`)).repoURL).toBe(url);
    }
  });
});

describe('parseRepoSettings errors', () => {
  it('should name file, line, column, key, value and rule for each bad value', () => {
    const text = REAL.replace(/repoURL: .*/, 'repoURL: ftp://example.com/x.git').replace(
      'targetRevision: main',
      'targetRevision: HEAD',
    );
    const line = (key: string) => text.split('\n').findIndex((l) => l.includes(`${key}:`)) + 1;
    expect(errorsOf(text)).toEqual([
      `argocd/repo.yaml:${line('repoURL')}:12 data.repoURL: "ftp://example.com/x.git" must be a Git clone URL (https://host/path, ssh://... or git@host:path)`,
      `argocd/repo.yaml:${line('targetRevision')}:19 data.targetRevision: "HEAD" must name a branch or tag, not HEAD (HEAD follows whatever is checked out)`,
    ]);
  });

  it('should refuse a wildcard or a range as the revision', () => {
    expect(errorsOf(REAL.replace('targetRevision: main', "targetRevision: 'v1.*'"))[0]).toMatch(
      /data\.targetRevision: "v1\.\*" must be a branch or tag name$/,
    );
  });

  it('should point at unknown keys and report missing ones', () => {
    const text = REAL.replace('  targetRevision: main\n', '  branch: main\n');
    const errors = errorsOf(text);
    const at = text.split('\n').findIndex((l) => l.startsWith('  branch:')) + 1;
    expect(errors).toContain(`argocd/repo.yaml:${at}:3 data.branch: unknown key`);
    expect(errors.some((e) => e.endsWith(' data.targetRevision: is required'))).toBe(true);
  });

  it('should require the local-config annotation that keeps the file out of the cluster', () => {
    const errors = errorsOf(REAL.replace('config.kubernetes.io/local-config: "true"', 'note: "x"'));
    expect(errors.map((e) => e.replace(/^argocd\/repo\.yaml:\d+:\d+ /, ''))).toEqual([
      'metadata.annotations.config.kubernetes.io/local-config: is required',
      'metadata.annotations.note: unknown key',
    ]);
  });

  it('should report YAML syntax errors with their position', () => {
    expect(errorsOf('data: [\n')[0]).toMatch(/^argocd\/repo\.yaml:\d+:\d+ \(yaml\): /);
  });
});
