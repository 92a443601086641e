import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { ARGOCD_DIR, argocdChart, environmentChart, kindsOf } from '../src/charts/index';
import type { K8sObject } from '../src/charts/k8s-object';
import { loadEnvironments, loadRepoSettings, type RepoSettings } from '../src/config';

/** The repository root (tests may run from any directory). */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** What one synth run renders: objects per output folder (`dev`, ..., `argocd`). */
export type Rendered = Map<string, K8sObject[]>;

/** Renders every chart of the registry for the environment files in `envDir`. */
export function renderAll(
  envDir = join(REPO_ROOT, 'environments'),
  repo: RepoSettings = loadRepoSettings(REPO_ROOT),
): Rendered {
  const out: Rendered = new Map();
  const environments = loadEnvironments(envDir).map((environment) => {
    const objects = environmentChart(environment).toJson() as K8sObject[];
    out.set(environment.name, objects);
    return { environment, kinds: kindsOf(objects) };
  });
  out.set(ARGOCD_DIR, argocdChart(environments, repo).toJson() as K8sObject[]);
  return out;
}

/** Runs the real `kubectl kustomize` on a directory and parses its output. */
export function kustomize(dir: string): K8sObject[] {
  const text = execFileSync('kubectl', ['kustomize', dir], {
    encoding: 'utf8',
    timeout: 20_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return parseAllDocuments(text).map((d) => d.toJS() as K8sObject);
}

/** Copies repository paths into a fresh temp dir, runs `fn` on it (sync or async), and always removes the dir. */
export function withTempCopy<T>(paths: readonly string[], fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'argocd-test-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  let pending = false;
  try {
    for (const p of paths) cpSync(join(REPO_ROOT, p), join(dir, p), { recursive: true });
    const result = fn(dir);
    if (result instanceof Promise) {
      pending = true;
      return result.finally(remove) as T;
    }
    return result;
  } finally {
    if (!pending) remove();
  }
}

/** Argo CD's directory glob (`*`, `?`, `{a,b}`; no character classes) as a regular expression for a file name. */
export function directoryGlob(glob: string): RegExp {
  if (/[[\]\\]/.test(glob)) throw new Error(`glob "${glob}": character classes are not supported here`);
  const body = glob
    .split(/(\{[^}]*\})/)
    .map((part) =>
      part.startsWith('{')
        ? `(${part
            .slice(1, -1)
            .split(',')
            .map((alt) => globPart(alt))
            .join('|')})`
        : globPart(part),
    )
    .join('');
  return new RegExp(`^${body}$`);
}

function globPart(s: string): string {
  return s
    .replace(/[.+^$()|]/g, '\\$&')
    .replaceAll('*', '[^/]*')
    .replaceAll('?', '[^/]');
}

/**
 * Review finding 6: what the root app would create from the files of `dist/argocd/`, and why that is unsafe.
 * `bootstrap` is the build of `argocd/` (root app and its project); `files` are `dist/argocd/`'s file names
 * and their objects. Problems: the root app's project may create AppProjects (then one merge could add a
 * project with wider rights), the root app would sync an AppProject, or it would sync a kind its project
 * refuses (the whole sync would fail). Empty when the root app can only create the Applications.
 */
export function rootAppProblems(
  bootstrap: readonly K8sObject[],
  files: ReadonlyMap<string, readonly K8sObject[]>,
): string[] {
  const root = bootstrap.find((o) => o.kind === 'Application' && o.metadata.name === 'guestlist-root');
  if (root === undefined) return ['argocd/ builds no Application guestlist-root'];
  const spec = root.spec as {
    project: string;
    source: { directory?: { include?: string; exclude?: string } };
  };
  const project = bootstrap.find((o) => o.kind === 'AppProject' && o.metadata.name === spec.project);
  if (project === undefined) return [`argocd/ builds no AppProject ${spec.project} (the root app's project)`];
  const allowed = (
    (project.spec as { namespaceResourceWhitelist?: { group: string; kind: string }[] })
      .namespaceResourceWhitelist ?? []
  ).map((k) => `${k.group}/${k.kind}`);
  const problems: string[] = [];
  if (allowed.some((k) => k === 'argoproj.io/AppProject' || k.endsWith('/*') || k.startsWith('*/'))) {
    problems.push(`AppProject ${spec.project} lets the root app create AppProjects`);
  }
  const include = spec.source.directory?.include;
  const exclude = spec.source.directory?.exclude;
  for (const [file, objects] of files) {
    if (include !== undefined && !directoryGlob(include).test(file)) continue;
    if (exclude !== undefined && directoryGlob(exclude).test(file)) continue;
    for (const o of objects) {
      const gk = `${o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : ''}/${o.kind}`;
      if (o.kind === 'AppProject')
        problems.push(`the root app syncs ${file} (AppProject ${o.metadata.name})`);
      else if (!allowed.includes(gk)) {
        problems.push(
          `the root app syncs ${file} (${o.kind} ${o.metadata.name}), which ${spec.project} refuses`,
        );
      }
    }
  }
  return problems;
}
