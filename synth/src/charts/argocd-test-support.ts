import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { loadEnvironments, loadRepoSettings, type RepoSettings } from '../config';
import { ARGOCD_DIR, argocdChart, environmentChart, kindsOf } from './index';
import type { K8sObject } from './k8s-object';

/** The repository root (tests may run from any directory). */
export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

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
