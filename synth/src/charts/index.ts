// The charts' public surface: the environment, Argo CD and cluster-reader charts, each rendered in an App of
// its own.
import { App, type Chart } from 'cdk8s';
import type { EnvironmentConfig, RepoSettings } from '../config';
import { ArgocdChart, type RenderedEnvironment } from './argocd';
import { GuestlistChart } from './guestlist';
import { GuestlistHubChart } from './guestlist-hub';

export { ARGOCD_SOURCE, type RenderedEnvironment } from './argocd';
export { kindsOf } from './argocd-kinds';
export { type ClusterReaderChartProps, clusterReaderChart, type ReaderGrant } from './cluster-reader';
export { hubFolder } from './guestlist-hub';
export type { K8sObject } from './k8s-object';

/** Output folder (below `dist/`) of the Argo CD objects; every other folder is an environment. */
export const ARGOCD_DIR = 'argocd';

/**
 * The chart of one environment (rendered into `dist/<env>/`), in an App of its own: cdk8s resolves and
 * validates the whole App on every `toJson()`, so a chart per App keeps N environments O(N).
 */
export function environmentChart(environment: EnvironmentConfig): Chart {
  return new GuestlistChart(new App(), environment.name, { environment });
}

/** The chart of an environment's ACK objects on its hub (`dist/<env>-aws/`); only for an environment with `ackHub`. */
export function hubChart(environment: EnvironmentConfig): Chart {
  return new GuestlistHubChart(new App(), `${environment.name}-aws`, { environment });
}

/**
 * The chart of `dist/argocd/`: the AppProject (applied by an administrator) and one Application per
 * environment (synced by the root app), from every environment.
 */
export function argocdChart(environments: readonly RenderedEnvironment[], repo: RepoSettings): Chart {
  return new ArgocdChart(new App(), 'argo-cd', { environments, repo });
}
