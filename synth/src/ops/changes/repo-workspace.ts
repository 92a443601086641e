// The workspace of a repository checkout: runs the synth core in-process (load, render, write) for the ops
// commands' edits.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ConfigError,
  checkEnvironmentText,
  ENVIRONMENT_FILE,
  type EnvironmentView,
  repoSettingsFor,
  viewOf,
} from '../../config';
import { readFolder } from '../../domain/rendered-tree';
import { render } from '../../render/render';
import { type WriteTarget, writeAtomic } from '../../render/write';
import type { Workspace } from './workspace';

/** Where the repository's folders are, relative to its root. */
export interface RepoLayout {
  /** @default 'environments' */
  readonly environmentsDir?: string;
  /** @default 'dist' */
  readonly distDir?: string;
}

/**
 * The workspace of a repository checkout, driving the synth core in-process: `loadEnvironments` with the
 * edited texts as overrides (every cross-file check included), `render` through the schema and policy gates,
 * and `writeAtomic` for environment files and dist/ folders together (all or nothing).
 */
export function repoWorkspace(root: string, layout: RepoLayout = {}): Workspace {
  const environmentsDir = layout.environmentsDir ?? 'environments';
  const distDir = layout.distDir ?? 'dist';
  const envPath = join(root, environmentsDir);
  const distPath = join(root, distDir);
  const files = () =>
    readdirSync(envPath)
      .filter((f) => ENVIRONMENT_FILE.test(f))
      .sort();
  return {
    root,
    environmentsDir,
    distDir,
    envFiles: files,
    envFile: (name) => files().find((f) => f === `${name}.yaml` || f === `${name}.yml`),
    readEnvText(file) {
      try {
        return readFileSync(join(envPath, file), 'utf8');
      } catch {
        return undefined;
      }
    },
    load(texts) {
      return new LazyEnvironments(texts, (file, text) => {
        const check = checkEnvironmentText(text, file, environmentsDir);
        if (!check.config) throw new ConfigError(check.errors);
        return viewOf(check.config, `${environmentsDir}/${file}`);
      });
    },
    render(overrides) {
      const removed = [...overrides].filter(([, text]) => text === null).map(([file]) => stem(file));
      const changed = [...overrides].filter(([, text]) => text !== null).map(([file]) => stem(file));
      const result = render({
        environmentsDir: envPath,
        overrides,
        repo: repoSettingsFor(envPath),
        // A removal changes dist/argocd only; an edit renders its own folder (dist/argocd comes with it).
        only: changed,
      });
      const out = new Map<string, ReadonlyMap<string, string> | null>(result.tree);
      for (const name of removed) if (existsSync(join(distPath, name))) out.set(name, null);
      return out;
    },
    renderAll() {
      return render({ environmentsDir: envPath, repo: repoSettingsFor(envPath) }).tree;
    },
    readDist: (folder) => readFolder(join(distPath, folder)),
    write(overrides, dist) {
      const targets: WriteTarget[] = [];
      for (const [file, text] of overrides) {
        const path = join(envPath, file);
        if (text !== null) targets.push({ path, content: text });
        else if (existsSync(path)) targets.push({ path, remove: true });
      }
      for (const [folder, content] of dist) {
        const path = join(distPath, folder);
        if (content !== null) targets.push({ path, files: content });
        else if (existsSync(path)) targets.push({ path, remove: true });
      }
      writeAtomic(root, targets);
    },
  } satisfies Workspace;
}

/** Environments by name, each validated on first use from its file's text. */
class LazyEnvironments implements ReadonlyMap<string, EnvironmentView> {
  private readonly files = new Map<string, string>();
  private readonly cache = new Map<string, EnvironmentView>();

  constructor(
    private readonly texts: ReadonlyMap<string, string>,
    private readonly check: (file: string, text: string) => EnvironmentView,
  ) {
    for (const file of [...texts.keys()].sort()) this.files.set(stem(file), file);
  }

  get size(): number {
    return this.files.size;
  }

  has(name: string): boolean {
    return this.files.has(name);
  }

  get(name: string): EnvironmentView | undefined {
    const file = this.files.get(name);
    if (file === undefined) return undefined;
    let state = this.cache.get(name);
    if (!state) {
      state = this.check(file, this.texts.get(file) as string);
      this.cache.set(name, state);
    }
    return state;
  }

  keys(): MapIterator<string> {
    return this.files.keys();
  }

  *values(): MapIterator<EnvironmentView> {
    for (const name of this.files.keys()) yield this.get(name) as EnvironmentView;
  }

  *entries(): MapIterator<[string, EnvironmentView]> {
    for (const name of this.files.keys()) yield [name, this.get(name) as EnvironmentView];
  }

  [Symbol.iterator](): MapIterator<[string, EnvironmentView]> {
    return this.entries();
  }

  forEach(
    fn: (value: EnvironmentView, key: string, map: ReadonlyMap<string, EnvironmentView>) => void,
  ): void {
    for (const [name, state] of this.entries()) fn(state, name, this);
  }
}

function stem(file: string): string {
  return file.replace(/\.ya?ml$/, '');
}
