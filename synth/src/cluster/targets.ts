import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ConfigError, type EnvironmentConfig, loadEnvironments } from '../config';
import { parseDuration } from '../domain/duration';
import { type ImageRef, parseImage } from '../domain/image-ref';
import { ClusterUsageError } from './cluster-args';
import { formatLabelSelector } from './label-selector';
import type { MetricsVerification } from './prometheus-query';

/** A usage or configuration problem of status / verify (unknown environment, bad files). Exit code 2. */
export class TargetError extends Error {
  override name = 'TargetError';
  constructor(readonly errors: readonly string[]) {
    super(errors.join('\n'));
  }
}

/** Everything status and verify need to know about one environment, read from its file and from dist/. */
export interface EnvironmentTarget {
  readonly name: string;
  /** `environments/<env>.yaml` as shown in messages. */
  readonly filePath: string;
  /** The image the environment file asks for (defaults applied). */
  readonly fileImage: ImageRef;
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
  readonly verification?: MetricsVerification;
}

interface Manifest {
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
  readonly spec?: Record<string, unknown>;
}

function readManifests(dir: string, prefix: string): Manifest[] {
  if (!existsSync(dir)) return [];
  const out: Manifest[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.startsWith(prefix) || !/\.ya?ml$/.test(file)) continue;
    for (const doc of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
      const value = doc.toJS() as Manifest | null;
      if (value && typeof value === 'object') out.push(value);
    }
  }
  return out;
}

function fileImageOf(config: EnvironmentConfig): ImageRef {
  const { repository, tag, digest } = config.image;
  return { repository, tag, ...(digest ? { digest } : {}) };
}

function verificationOf(config: EnvironmentConfig): MetricsVerification | undefined {
  const v = config.verification;
  if (!v) return undefined;
  return {
    prometheusUrl: v.prometheus.url,
    soakMs: parseDuration(v.soak) ?? 0,
    intervalMs: parseDuration(v.interval) ?? 0,
    queries: v.queries,
    source: config.source,
  };
}

/** Options of {@link loadTargets}. */
export interface LoadTargetsOptions {
  readonly environmentsDir: string;
  readonly distDir: string;
  /** Only these environments (each must exist). @default all */
  readonly only?: readonly string[];
  /** Shows paths in messages (relative to the working directory). */
  readonly show?: (path: string) => string;
}

/**
 * Reads every environment file (through the synth config loader, so defaults and validation are the same
 * as `npm run synth`) and the rendered Deployment and Argo CD Application of each from dist/.
 * Throws {@link TargetError} for invalid environment files, {@link ClusterUsageError} for an unknown `only` name.
 */
export function loadTargets(o: LoadTargetsOptions): EnvironmentTarget[] {
  const show = o.show ?? ((p: string) => p);
  let configs: EnvironmentConfig[];
  try {
    configs = loadEnvironments(o.environmentsDir);
  } catch (error) {
    if (error instanceof ConfigError) throw new TargetError(error.errors);
    throw error;
  }
  const names = configs.map((c) => c.name);
  for (const wanted of o.only ?? []) {
    if (!names.includes(wanted)) {
      throw new ClusterUsageError(
        `unknown environment "${wanted}": there is no ${show(join(o.environmentsDir, `${wanted}.yaml`))} (environments: ${names.join(', ')})`,
      );
    }
  }
  const selected = o.only && o.only.length > 0 ? configs.filter((c) => o.only?.includes(c.name)) : configs;
  const applications = readManifests(join(o.distDir, 'argocd'), 'application-').filter(
    (m) => m.kind === 'Application',
  );
  return selected.map((config) => {
    const distDir = join(o.distDir, config.name);
    const distPath = show(distDir);
    const base = {
      name: config.name,
      filePath: config.source,
      fileImage: fileImageOf(config),
      distPath,
      ...(verificationOf(config) ? { verification: verificationOf(config) } : {}),
    };
    const sourcePath = (a: Manifest) => (a.spec?.source as { path?: string } | undefined)?.path;
    const app = applications.find((a) => {
      const path = sourcePath(a);
      return path !== undefined && basename(path) === config.name;
    });
    const deployment = readManifests(distDir, 'deployment-').find((m) => m.kind === 'Deployment');
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
        name: deployment.metadata?.name ?? config.name,
        namespace: deployment.metadata?.namespace ?? config.namespace,
        labelSelector: formatLabelSelector(spec?.selector),
        container: container.name,
      },
    };
    if (!app) {
      return {
        ...target,
        distProblem: `${show(join(o.distDir, 'argocd'))} has no Application whose source path is ${relative(join(o.distDir, '..'), distDir)}; run npm run synth`,
      };
    }
    return {
      ...target,
      application: {
        name: app.metadata?.name ?? `guestlist-${config.name}`,
        namespace: app.metadata?.namespace ?? 'argocd',
        sourcePath: sourcePath(app) as string,
      },
    };
  });
}
