// What status and verify know of each environment before they ask the cluster: its view (from the validated
// file) and what dist/ renders for it (the Deployment and the Argo CD Application).
import { basename, join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { type EnvironmentView, loadEnvironments, unknownName, viewOf } from '../config';
import { type ImageRef, parseImage } from '../domain/image-ref';
import { readFolder } from '../domain/rendered-tree';
import { usageError } from '../errors';
import { formatLabelSelector } from './label-selector';

/** Everything status and verify need to know about one environment: its view, and what dist/ renders for it. */
export interface EnvironmentTarget {
  /** The environment as its validated file says (the image it asks for, its file as shown in messages, …). */
  readonly env: EnvironmentView;
  /** `dist/<env>` as shown in messages. */
  readonly distPath: string;
  /** What is wrong with dist/ for this environment, when something is (no Deployment, no Application). */
  readonly distProblem?: string;
  /** The image of the Deployment in dist/<env>. */
  readonly distImage?: ImageRef;
  /** The Argo CD Application rendered into dist/argocd for this environment. */
  readonly application?: { readonly name: string; readonly namespace: string; readonly sourcePath: string };
  /** The Deployment in dist/<env>: where it lives, its pod selector and the serving container. */
  readonly deployment?: {
    readonly name: string;
    readonly namespace: string;
    readonly labelSelector: string;
    readonly container: string;
  };
}

interface Manifest {
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
  readonly spec?: Record<string, unknown>;
}

/** The objects of the files whose name starts with `prefix` (files in name order). */
function manifests(files: ReadonlyMap<string, string> | undefined, prefix: string): Manifest[] {
  const out: Manifest[] = [];
  for (const [file, text] of [...(files ?? [])].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!file.startsWith(prefix) || !/\.ya?ml$/.test(file)) continue;
    for (const doc of parseAllDocuments(text)) {
      const value = doc.toJS() as Manifest | null;
      if (value && typeof value === 'object') out.push(value);
    }
  }
  return out;
}

/** Where dist/ lives, and how paths are shown in messages. */
export interface DistLocation {
  /** The output folder (absolute). */
  readonly distDir: string;
  /** Shows paths in messages (relative to the working directory). @default as is */
  readonly show?: (path: string) => string;
}

/**
 * The target of one environment from its view and the files dist/ holds for it (`dist/<env>` and
 * `dist/argocd`, as read by the caller): a pure function, so the promotion gate hands in what it already has.
 */
export function targetOf(
  env: EnvironmentView,
  envFiles: ReadonlyMap<string, string> | undefined,
  argocdFiles: ReadonlyMap<string, string> | undefined,
  at: DistLocation,
): EnvironmentTarget {
  const show = at.show ?? ((p: string) => p);
  const distDir = join(at.distDir, env.name);
  const distPath = show(distDir);
  const base = { env, distPath };
  const sourcePath = (a: Manifest) => (a.spec?.source as { path?: string } | undefined)?.path;
  const app = manifests(argocdFiles, 'application-').find((a) => {
    const path = a.kind === 'Application' ? sourcePath(a) : undefined;
    return path !== undefined && basename(path) === env.name;
  });
  const deployment = manifests(envFiles, 'deployment-').find((m) => m.kind === 'Deployment');
  const spec = deployment?.spec as
    | {
        selector?: Parameters<typeof formatLabelSelector>[0];
        template?: { spec?: { containers?: { name: string; image?: string }[] } };
      }
    | undefined;
  const container = spec?.template?.spec?.containers?.[0];
  if (!deployment || !container?.image) {
    return {
      ...base,
      distProblem: `${distPath} has no Deployment with a container image; run npm run synth`,
    };
  }
  const target = {
    ...base,
    distImage: parseImage(container.image),
    deployment: {
      name: deployment.metadata?.name ?? env.name,
      namespace: deployment.metadata?.namespace ?? env.namespace,
      labelSelector: formatLabelSelector(spec?.selector),
      container: container.name,
    },
  };
  if (!app) {
    return {
      ...target,
      distProblem: `${show(join(at.distDir, 'argocd'))} has no Application whose source path is ${relative(join(at.distDir, '..'), distDir)}; run npm run synth`,
    };
  }
  return {
    ...target,
    application: {
      name: app.metadata?.name ?? `guestlist-${env.name}`,
      namespace: app.metadata?.namespace ?? 'argocd',
      sourcePath: sourcePath(app) as string,
    },
  };
}

/** Options of {@link loadTargets}. */
export interface LoadTargetsOptions extends DistLocation {
  readonly environmentsDir: string;
  /** Only these environments (each must exist). @default all */
  readonly only?: readonly string[];
  /** What an `only` name is, for the error (`--env`). @default environment */
  readonly what?: string;
}

/**
 * Reads every environment file (through the synth config loader, so defaults and validation are the same
 * as `npm run synth`) and the rendered Deployment and Argo CD Application of each from dist/.
 * Throws the loader's `ConfigError` for invalid environment files (exit 1, as from every command), a usage
 * error for an unknown `only` name.
 */
export function loadTargets(o: LoadTargetsOptions): EnvironmentTarget[] {
  const show = o.show ?? ((p: string) => p);
  const configs = loadEnvironments(o.environmentsDir);
  const names = configs.map((c) => c.name);
  for (const wanted of o.only ?? []) {
    if (!names.includes(wanted)) {
      const rule = `no such environment (there is no ${show(join(o.environmentsDir, `${wanted}.yaml`))})`;
      throw usageError(
        unknownName({
          what: o.what ?? 'environment',
          value: wanted,
          rule,
          known: names,
          list: 'environments',
        }),
      );
    }
  }
  const selected = o.only && o.only.length > 0 ? configs.filter((c) => o.only?.includes(c.name)) : configs;
  const argocd = readFolder(join(o.distDir, 'argocd'));
  return selected.map((config) =>
    targetOf(viewOf(config), readFolder(join(o.distDir, config.name)), argocd, o),
  );
}
