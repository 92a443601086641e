// The versions our CRD contracts were read at must be the versions argocd/ installs: an upgrade without a
// fresh read of the upstream CRD fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { isFullyPinned, readInstallPin } from '../config/argocd-install';
import { CHECKED_VERSIONS } from './crd-contracts';

const ROOT = join(__dirname, '..', '..', '..');
const ARGOCD = join(ROOT, 'argocd');

/** Every YAML document under a folder (recursively). */
function documents(dir: string): Record<string, unknown>[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return documents(path);
    if (!e.name.endsWith('.yaml')) return [];
    return parseAllDocuments(readFileSync(path, 'utf8')).map((d) => d.toJS() as Record<string, unknown>);
  });
}

describe('the releases our CRD contracts were checked at', () => {
  it('should be the Argo CD release argocd/install pins: by a commit with every image by digest, or (not yet resolved) by the tag', () => {
    const read = readInstallPin(readFileSync(join(ARGOCD, 'install', 'kustomization.yaml'), 'utf8'));
    if (!('pin' in read)) throw new Error(read.problem);
    const { pin } = read;
    expect(pin.tag, 'the release tag: the URL ref, or the `# vX.Y.Z` comment after a commit').toBe(
      CHECKED_VERSIONS.argoCd,
    );
    if (pin.kind === 'commit') {
      // npm run argocd:pin wrote it: a 40-hex commit, and every image install.yaml names by digest.
      expect(pin.ref).toMatch(/^[0-9a-f]{40}$/);
      expect(isFullyPinned(pin), JSON.stringify(pin.images)).toBe(true);
    } else {
      // As committed while no one with network has run `npm run argocd:pin` (doctor lists it).
      expect(pin.kind).toBe('tag');
      expect(pin.url).toBe(
        `https://raw.githubusercontent.com/argoproj/argo-cd/${CHECKED_VERSIONS.argoCd}/manifests/install.yaml`,
      );
      expect(pin.images).toEqual([]);
    }
  });

  it('should be the chart version of every add-on chart argocd/ or dist/ installs that we check', () => {
    const sources = [...documents(ARGOCD), ...documents(join(ROOT, 'dist'))]
      .filter((d) => d?.kind === 'Application')
      .flatMap((d) => {
        const spec = d.spec as { source?: unknown; sources?: unknown[] };
        return [spec.source, ...(spec.sources ?? [])] as { chart?: string; targetRevision?: string }[];
      })
      .filter((s) => s?.chart !== undefined && s.chart in CHECKED_VERSIONS.charts);
    expect(sources.length).toBeGreaterThan(0);
    for (const s of sources) {
      const checked = CHECKED_VERSIONS.charts[s.chart as keyof typeof CHECKED_VERSIONS.charts];
      expect(
        s.targetRevision,
        `${s.chart} is installed at ${s.targetRevision} but its CRD was read at ${checked}: read the CRD at the new version, update crd-contracts.ts and the schema`,
      ).toBe(checked);
    }
  });
});
