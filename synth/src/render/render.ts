// Renders every environment in memory through the schema and policy gates; reads the environment files,
// writes nothing.
import {
  ARGOCD_DIR,
  ARGOCD_SOURCE,
  argocdChart,
  environmentChart,
  hubChart,
  hubFolder,
  type K8sObject,
  kindsOf,
  type RenderedEnvironment,
} from '../charts';
import { addonApiProblems } from '../charts/addon-apis';
import {
  type EnvironmentConfig,
  environmentJsonSchema,
  type LoadOptions,
  loadEnvironments,
  type RepoSettings,
  repoSettingsFor,
  unknownName,
} from '../config';
import type { RenderedTree } from '../domain/rendered-tree';
import { UsageError } from '../errors';
import { formatViolation, runPolicy } from '../policy';
import { contractVersionProblems } from './contract-versions';
import { validateSchema } from './schema-gate';
import { fileNameOf, serializeSorted, sortKeys } from './serialize';
import { GateError } from './types';

/** What to render. */
export interface RenderOptions {
  /** Folder of environment files. */
  readonly environmentsDir: string;
  /**
   * Render only these environments, plus `dist/argocd` (which every environment feeds); all when undefined.
   * @default - every environment
   */
  readonly only?: readonly string[];
  /** @default the setting in `argocd/repo.yaml` beside `environmentsDir` (see repoSettingsFor) */
  readonly repo?: RepoSettings;
  /** Environment file texts to use instead of the disk (see `LoadOptions.overrides`). @default - none */
  readonly overrides?: LoadOptions['overrides'];
  /**
   * Receives one line of per-phase timings at the end of a successful render.
   * @default - timings are not reported
   */
  readonly onTimings?: (line: string) => void;
}

/** Everything one run produces, in memory. */
export interface RenderResult {
  /** Every environment (all of them, also when `only` is set). */
  readonly environments: readonly EnvironmentConfig[];
  /** Output folder → file name → content: the rendered environments and `argocd`. */
  readonly tree: RenderedTree;
  /** True when every environment was rendered (folders of deleted environments may then be removed). */
  readonly complete: boolean;
  /** `environments/schema.json` content. */
  readonly schemaJson: string;
  /** Waived violations, one line each (reported, not fatal). */
  readonly waived: readonly string[];
}

/**
 * Loads every environment, synthesizes each chart in an App of its own, validates each object against its
 * OpenAPI schema (unknown fields included) and runs the policy gate. Pure: reads the environment files, writes
 * nothing. Throws ConfigError, GateError or UsageError (an `only` name that is not an environment).
 */
export function render(options: RenderOptions): RenderResult {
  const t = timer();
  const environments = loadEnvironments(options.environmentsDir, {
    ...(options.overrides && { overrides: options.overrides }),
  });
  const repo = options.repo ?? repoSettingsFor(options.environmentsDir);
  const only = options.only === undefined ? undefined : selection(options.only, environments);
  t.lap('load');
  const errors: string[] = [];
  const waived: string[] = [];
  const tree = new Map<string, Map<string, string>>();
  // `context`: objects of another folder the rules read but do not judge (a hub folder's ACK objects are checked
  // against the workload they serve, e.g. the service account its role must trust).
  const gate = (
    outDir: string,
    source: string,
    objects: readonly K8sObject[],
    env?: EnvironmentConfig,
    context: readonly K8sObject[] = [],
  ) => {
    const files = new Map<string, string>();
    for (const obj of objects) {
      for (const problem of validateSchema(obj)) {
        errors.push(`${outDir}: ${obj.kind}/${obj.metadata.name} [schema] ${problem}`);
      }
    }
    t.lap('schema');
    for (const obj of objects) {
      const name = fileNameOf(obj);
      if (files.has(name)) errors.push(`${outDir}: two objects render to the same file ${name}`);
      files.set(name, serializeSorted(obj, source));
    }
    t.lap('serialize');
    const policy = runPolicy([...objects, ...context], env, environments);
    const judged = new Set(objects.map((o) => `${o.kind}/${o.metadata.name}`));
    const own = (v: { readonly object: string }) => context.length === 0 || judged.has(v.object);
    for (const v of policy.violations.filter(own)) errors.push(formatViolation(v, outDir, source));
    for (const v of policy.waived.filter(own)) {
      waived.push(`${outDir}: ${v.object} [${v.rule}] waived: ${v.message}`);
    }
    t.lap('policy');
    tree.set(outDir, new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1))));
  };

  const rendered: RenderedEnvironment[] = [];
  for (const env of environments) {
    // One chart at a time: its construct tree is garbage once its objects are serialized.
    const objects = environmentChart(env)
      .toJson()
      .map((o) => sortKeys(o) as K8sObject);
    // Its ACK objects on its hub, when its cluster entry's ACK is a hub's: their own folder and Application.
    const onHub =
      env.ackHub === undefined
        ? undefined
        : hubChart(env)
            .toJson()
            .map((o) => sortKeys(o) as K8sObject);
    rendered.push({
      environment: env,
      kinds: kindsOf(objects),
      ...(onHub && { hubKinds: kindsOf(onHub) }),
    });
    // The add-on versions its cluster entry pins must serve the API versions it renders (every environment,
    // also outside `only`: a cluster entry is shared); the ACK objects are served by the hub's controllers.
    const problems = [
      ...addonApiProblems(env, objects),
      ...contractVersionProblems(env, objects),
      ...(onHub && env.ackHub ? contractVersionProblems({ ...env, clusterEntry: env.ackHub }, onHub) : []),
    ];
    for (const problem of problems) {
      if (!errors.includes(problem)) errors.push(problem);
    }
    t.lap('synth');
    if (only === undefined || only.has(env.name)) {
      gate(env.name, env.source, objects, env);
      if (onHub) gate(hubFolder(env), env.source, onHub, env, objects);
    }
  }
  const argocd = argocdChart(rendered, repo)
    .toJson()
    .map((o) => sortKeys(o) as K8sObject);
  t.lap('synth');
  gate(ARGOCD_DIR, ARGOCD_SOURCE, argocd);
  if (errors.length > 0) throw new GateError(errors);
  const schemaJson = `${JSON.stringify(environmentJsonSchema(), null, 2)}\n`;
  t.lap('json-schema');
  options.onTimings?.(t.line());
  return { environments, tree, complete: only === undefined, schemaJson, waived };
}

/** The `only` names as a set; a name that is not an environment is a usage error that lists the real ones. */
function selection(only: readonly string[], environments: readonly EnvironmentConfig[]): Set<string> {
  const names = environments.map((e) => e.name);
  const problems = only.flatMap((name) => {
    if (names.includes(name)) return [];
    if (name === ARGOCD_DIR) {
      return [`--env "${name}": dist/${ARGOCD_DIR}/ is not an environment; it is rendered with every --env`];
    }
    return [
      unknownName({
        what: '--env',
        value: name,
        rule: 'no such environment',
        known: names,
        list: 'environments',
      }),
    ];
  });
  if (problems.length > 0) throw new UsageError(problems);
  return new Set(only);
}

/** Accumulated time per phase (for `SYNTH_TIMINGS=1` and the benchmark notes). */
function timer() {
  const totals = new Map<string, number>();
  let last = performance.now();
  return {
    lap(phase: string) {
      const now = performance.now();
      totals.set(phase, (totals.get(phase) ?? 0) + now - last);
      last = now;
    },
    line() {
      return `synth timings: ${[...totals].map(([k, v]) => `${k} ${v.toFixed(1)} ms`).join(', ')}`;
    },
  };
}
