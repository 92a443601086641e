import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiObject, type Chart, JsonPatch } from 'cdk8s';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { environmentChart } from '../charts';
import type { K8sObject } from '../charts/k8s-object';
import { loadEnvironments } from '../config';
import { UserError } from '../errors';
import type { KnownFields } from './known-fields';
import generated from './known-fields.json';
import { ownSchemaProblems } from './schema-gate';
import { synthesize } from './synthesize';

const REPO = join(__dirname, '..', '..', '..');
const FIELDS = generated as KnownFields;

/** Which objects get a misspelled field added after the chart is built (see the mock below). */
const inject = vi.hoisted(() => ({
  environment: undefined as string | undefined,
  application: false,
  prometheus: undefined as string | undefined,
}));

/** The api objects of a chart with the given kind. */
function objectsOf(chart: Chart, kind: string): ApiObject[] {
  return chart.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c) && c.kind === kind);
}

// The real charts, with one typo added through cdk8s' public patch API, as a construct bug would add it.
vi.mock('../charts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../charts')>();
  return {
    ...original,
    environmentChart: (env: Parameters<typeof original.environmentChart>[0]) => {
      const chart = original.environmentChart(env);
      // A plain ApiObject: the typed classes cdk8s-plus builds on copy only the fields they declare.
      if (inject.environment === env.name) {
        for (const pdb of objectsOf(chart, 'PodDisruptionBudget')) {
          pdb.addJsonPatch(JsonPatch.add('/spec/maxUnavailabel', 1));
        }
      }
      // The Prometheus Operator kinds, checked by our own schemas: an unknown field, a bad duration, a missing
      // required field.
      if (inject.prometheus === env.name) {
        for (const m of objectsOf(chart, 'PodMonitor')) {
          m.addJsonPatch(JsonPatch.add('/spec/podMetricsEndpoints/0/intervall', '30s'));
        }
        for (const r of objectsOf(chart, 'PrometheusRule')) {
          r.addJsonPatch(
            JsonPatch.replace('/spec/groups/0/rules/0/for', '2 minutes'),
            JsonPatch.remove('/spec/groups/1/name'),
          );
        }
      }
      return chart;
    },
    argocdChart: (...args: Parameters<typeof original.argocdChart>) => {
      const chart = original.argocdChart(...args);
      if (inject.application) {
        for (const a of objectsOf(chart, 'Application')) {
          a.addJsonPatch(JsonPatch.add('/spec/source/targetRevison', 'main'));
        }
      }
      return chart;
    },
  };
});

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'synth-strict-'));
  for (const dir of ['environments', 'argocd', 'dist'])
    cpSync(join(REPO, dir), join(work, dir), { recursive: true });
});
afterEach(() => {
  inject.environment = undefined;
  inject.application = false;
  inject.prometheus = undefined;
  rmSync(work, { recursive: true, force: true });
});

/** Every file under dist/ of the temp copy with its bytes. */
function distFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const folder of readdirSync(join(work, 'dist')).sort()) {
    for (const file of readdirSync(join(work, 'dist', folder)).sort()) {
      out[`${folder}/${file}`] = readFileSync(join(work, 'dist', folder, file), 'utf8');
    }
  }
  return out;
}

function synthErrors(): readonly string[] {
  try {
    synthesize({ environmentsDir: join(work, 'environments'), outDir: join(work, 'dist') });
  } catch (error) {
    if (error instanceof UserError) return error.errors;
    throw error;
  }
  throw new Error('synthesize accepted the render');
}

describe('the strict schema gate in a real render', () => {
  it('should refuse an unknown field in a rendered environment object, naming environment, object and path, writing nothing', () => {
    const before = distFiles();
    inject.environment = 'dev';
    expect(synthErrors()).toEqual([
      'dev: PodDisruptionBudget/guestlist [schema] /spec/maxUnavailabel: unknown field; did you mean "maxUnavailable"?',
    ]);
    expect(distFiles()).toEqual(before);
  });

  it('should refuse a PodMonitor and PrometheusRule against our schemas of the pinned Prometheus Operator: unknown field, bad duration, missing required field', () => {
    const before = distFiles();
    inject.prometheus = 'staging';
    expect(synthErrors()).toEqual([
      'staging: PodMonitor/guestlist [schema] /spec/podMetricsEndpoints/0/intervall: unknown field; did you mean "interval"?',
      'staging: PrometheusRule/guestlist [schema] /spec/groups/0/rules/0/for must be a Prometheus duration such as "30s" or "1h30m"',
      'staging: PrometheusRule/guestlist [schema] /spec/groups/1/name is required',
    ]);
    expect(distFiles()).toEqual(before);
  });

  it('should refuse an unknown field in a rendered Argo CD object the same way', () => {
    const before = distFiles();
    inject.application = true;
    const errors = synthErrors();
    const apps = readdirSync(join(work, 'dist', 'argocd')).filter((f) => f.startsWith('application-'));
    expect([...errors].sort()).toEqual(
      apps
        .map(
          (f) =>
            `argocd: Application/${f.replace(/^application-|\.yaml$/g, '')} [schema] /spec/source/targetRevison: unknown field; did you mean "targetRevision"?`,
        )
        .sort(),
    );
    expect(distFiles()).toEqual(before);
  });
});

describe('charts through the public cdk8s API (no memoized toJson)', () => {
  it('should render an edit that adds no construct node, and build one environment twice in one process', () => {
    const dev = loadEnvironments(join(REPO, 'environments')).find((e) => e.name === 'dev');
    if (!dev) throw new Error('no dev environment');
    const chart = environmentChart(dev);
    const deploymentOf = (objs: readonly unknown[]) =>
      (objs as K8sObject[]).find((o) => o.kind === 'Deployment') as K8sObject;
    expect(deploymentOf(chart.toJson()).metadata.labels).not.toHaveProperty('edited');
    // A label is not a node: a cache keyed by the node count returned the first YAML here.
    for (const d of objectsOf(chart, 'Deployment')) d.metadata.addLabel('edited', 'yes');
    expect(deploymentOf(chart.toJson()).metadata.labels).toHaveProperty('edited', 'yes');
    // Each chart has an App of its own, so a second chart of the same name is no construct-name clash.
    expect(deploymentOf(environmentChart(dev).toJson()).metadata.labels).not.toHaveProperty('edited');
  });
});

describe('known-fields.json covers what synth renders', () => {
  it('should check the name of every field of every committed object except the keys of free-form maps and lists of scalars', () => {
    const unchecked: string[] = [];
    const walk = (value: unknown, type: 0 | string, path: string): void => {
      if (value === null || typeof value !== 'object') return;
      if (type === 0) {
        // An add-on's Helm values belong to its chart's own schema (their keys are held by the add-on tests).
        if (path.endsWith('/spec/source/helm/valuesObject')) return;
        // A field the gate does not look into must hold only scalars (labels, data, command, ...).
        const children = Array.isArray(value) ? value : Object.values(value);
        if (children.some((c) => c !== null && typeof c === 'object')) unchecked.push(path);
        return;
      }
      if (type.endsWith('[]') || type.endsWith('{}')) {
        const inner = type.slice(0, -2);
        for (const [k, v] of Object.entries(value)) walk(v, inner, `${path}/${k}`);
        return;
      }
      const declared = FIELDS.types[type];
      if (declared === undefined || declared['*'] !== undefined) unchecked.push(`${path} (${type})`);
      else for (const [k, v] of Object.entries(value)) walk(v, declared[k] ?? 0, `${path}/${k}`);
    };
    let objects = 0;
    for (const folder of readdirSync(join(REPO, 'dist')).sort()) {
      for (const file of readdirSync(join(REPO, 'dist', folder)).sort()) {
        const obj = parse(readFileSync(join(REPO, 'dist', folder, file), 'utf8')) as K8sObject;
        objects++;
        // ACK, External Secrets and Prometheus Operator kinds have strict schemas of their own, not declarations in
        // a model package.
        if (ownSchemaProblems(obj) !== undefined) continue;
        const root = FIELDS.kinds[`${obj.apiVersion}/${obj.kind}`];
        if (root === undefined)
          unchecked.push(`${folder}/${file}: no field list for ${obj.apiVersion}/${obj.kind}`);
        else walk(obj, root, `${folder}/${file}:`);
      }
    }
    expect(objects).toBeGreaterThan(30);
    expect(unchecked).toEqual([]);
  });
});
