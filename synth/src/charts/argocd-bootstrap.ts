// The Argo CD bootstrap (`kubectl apply -k argocd`): the root Application, its locked-down project and the
// emptied `default` project; rendered for tests to compare, not written to dist/.
import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { RepoSettings } from '../config';
import { ARGOCD_NAMESPACE } from '../config';
import { ArgoAppProject } from '../constructs/argo-app-project';
import { ArgoApplication } from '../constructs/argo-application';

/** The cluster Argo CD runs in, as Argo CD names it. */
export const IN_CLUSTER = 'https://kubernetes.default.svc';

/** Name of the root ("app of apps") Application; it syncs `dist/argocd/`. */
export const ROOT_APP = 'guestlist-root';

/** Name of the small project the root Application lives in. */
export const BOOTSTRAP_PROJECT = 'guestlist-bootstrap';

/**
 * The files of `dist/argocd/` the root app syncs: the Applications only. The `guestlist` AppProject rendered
 * beside them is applied by an administrator (argocd/README.md), never by the root app.
 */
export const ROOT_APP_INCLUDE = 'application-*.yaml';

/** Props of the bootstrap chart. */
export interface ArgocdBootstrapChartProps {
  /** Repository and revision Argo CD deploys from. */
  readonly repo: RepoSettings;
}

/**
 * What `kubectl apply -k argocd` must create, built from the repository setting: the root Application,
 * its bootstrap project (only Applications, only in the Argo CD namespace, only this repo) and the `default`
 * project emptied so nothing can use it. The root app can create no AppProject: a merge to `dist/argocd/`
 * cannot widen what the environments may deploy (review finding 6); the `guestlist` project is applied by an
 * administrator. Not written to dist/: tests compare it with the
 * kustomize build of `argocd/`, which takes the same setting from `argocd/repo.yaml`.
 */
export class ArgocdBootstrapChart extends Chart {
  constructor(scope: Construct, id: string, props: ArgocdBootstrapChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { repo } = props;
    const argocd = { server: IN_CLUSTER, namespace: ARGOCD_NAMESPACE };

    new ArgoAppProject(this, 'bootstrap-project', {
      name: BOOTSTRAP_PROJECT,
      namespace: ARGOCD_NAMESPACE,
      description: `Holds only ${ROOT_APP}, which syncs the Applications of ${repo.distPath}/argocd/ (no AppProject)`,
      sourceRepos: [repo.repoURL],
      destinations: [argocd],
      clusterResources: [],
      namespaceResources: [{ group: 'argoproj.io', kind: 'Application' }],
    });

    new ArgoApplication(this, 'root', {
      name: ROOT_APP,
      namespace: ARGOCD_NAMESPACE,
      project: BOOTSTRAP_PROJECT,
      repoURL: repo.repoURL,
      targetRevision: repo.targetRevision,
      path: `${repo.distPath}/argocd`,
      include: ROOT_APP_INCLUDE,
      destination: argocd,
      sync: { automated: true, prune: true, selfHeal: true },
    });

    // Argo CD creates `default` allowing everything; with no repos and no destinations nothing can use it.
    new ApiObject(this, 'default-project', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'default', namespace: ARGOCD_NAMESPACE },
      spec: { sourceRepos: [], destinations: [], clusterResourceWhitelist: [] },
    });
  }
}
