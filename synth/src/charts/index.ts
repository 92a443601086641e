import type { App, Chart } from 'cdk8s';
import type { EnvironmentConfig, RepoSettings } from '../config';
import { argocdChartEntry } from './argocd';
import { GuestlistChart } from './guestlist';

/** One chart and where its objects are written. */
export interface ChartEntry {
  /** Output folder below `dist/`, e.g. `dev` or `argocd`. */
  readonly outDir: string;
  /** The chart whose objects go there. */
  readonly chart: Chart;
  /** Source file named in the generated header, e.g. `environments/dev.yaml`. */
  readonly source: string;
  /** The environment the chart renders (policy waivers and key hints); absent for cross-environment charts. */
  readonly environment?: EnvironmentConfig;
}

/** The one registry of charts: every chart that `synth` renders is created here. */
export function createCharts(
  app: App,
  environments: readonly EnvironmentConfig[],
  repo: RepoSettings,
): ChartEntry[] {
  const entries: ChartEntry[] = environments.map((env) => ({
    outDir: env.name,
    chart: new GuestlistChart(app, env.name, { environment: env }),
    source: env.source,
    environment: env,
  }));
  // Cross-environment charts (Argo CD AppProject + Applications) are added below, one line each.
  entries.push(argocdChartEntry(app, entries, repo));
  return entries;
}
