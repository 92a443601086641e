import { App } from 'cdk8s';
import { createCharts } from '../charts';
import {
  type EnvironmentConfig,
  environmentJsonSchema,
  loadEnvironments,
  type RepoSettings,
} from '../config';
import { formatViolation, runPolicy } from '../policy';
import { repoSettingsFor } from '../settings/repo-settings';
import { validateSchema } from './schema-gate';
import { fileNameOf, serializeSorted, sortKeys } from './serialize';
import { GateError, type K8sObject, type RenderedTree } from './types';

/** What to render. */
export interface RenderOptions {
  /** Folder of environment files. */
  readonly environmentsDir: string;
  /** Render only these output folders (e.g. `--env prod`); all when undefined. */
  readonly only?: readonly string[];
  /** @default the setting in `argocd/repo.yaml` beside `environmentsDir` (see repoSettingsFor) */
  readonly repo?: RepoSettings;
  /**
   * Receives one line of per-phase timings at the end of a successful render.
   * @default - timings are not reported
   */
  readonly onTimings?: (line: string) => void;
}

/** Everything one run produces, in memory. */
export interface RenderResult {
  readonly environments: readonly EnvironmentConfig[];
  /** Output folder → file name → content. */
  readonly tree: RenderedTree;
  /** True when every chart was rendered (stale folders may then be removed). */
  readonly complete: boolean;
  /** `environments/schema.json` content. */
  readonly schemaJson: string;
  /** Waived violations, one line each (reported, not fatal). */
  readonly waived: readonly string[];
}

/**
 * Loads every environment, builds the charts, validates each object against its OpenAPI schema and runs
 * the policy gate. Pure: reads the environment files, writes nothing. Throws ConfigError or GateError.
 */
export function render(options: RenderOptions): RenderResult {
  const t = timer();
  const environments = loadEnvironments(options.environmentsDir);
  t.lap('load');
  const app = new App();
  let entries = createCharts(app, environments, options.repo ?? repoSettingsFor(options.environmentsDir));
  t.lap('charts');
  if (options.only) {
    const known = entries.map((e) => e.outDir);
    const unknown = options.only.filter((o) => !known.includes(o));
    if (unknown.length > 0) {
      throw new GateError(
        unknown.map((u) => `--env "${u}": no such environment (known: ${known.sort().join(', ')})`),
      );
    }
    entries = entries.filter((e) => options.only?.includes(e.outDir));
  }
  const errors: string[] = [];
  const waived: string[] = [];
  const tree: RenderedTree = new Map();
  for (const entry of entries) {
    const objects = entry.chart.toJson().map((o) => sortKeys(o) as K8sObject);
    t.lap('synth');
    const files = new Map<string, string>();
    for (const obj of objects) {
      for (const problem of validateSchema(obj)) {
        errors.push(`${entry.outDir}: ${obj.kind}/${obj.metadata.name} [schema] ${problem}`);
      }
    }
    t.lap('schema');
    for (const obj of objects) {
      const name = fileNameOf(obj);
      if (files.has(name)) errors.push(`${entry.outDir}: two objects render to the same file ${name}`);
      files.set(name, serializeSorted(obj, entry.source));
    }
    t.lap('serialize');
    const policy = runPolicy(objects, entry.environment);
    t.lap('policy');
    for (const v of policy.violations) errors.push(formatViolation(v, entry.outDir, entry.source));
    for (const v of policy.waived)
      waived.push(`${entry.outDir}: ${v.object} [${v.rule}] waived: ${v.message}`);
    tree.set(entry.outDir, new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1))));
  }
  if (errors.length > 0) throw new GateError(errors);
  const schemaJson = `${JSON.stringify(environmentJsonSchema(), null, 2)}\n`;
  t.lap('json-schema');
  options.onTimings?.(t.line());
  return {
    environments,
    tree,
    complete: options.only === undefined,
    schemaJson,
    waived,
  };
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
