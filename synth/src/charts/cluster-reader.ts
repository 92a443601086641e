// The chart of `npm run status -- --rbac`: the read-only Roles and RoleBindings that status and verify need,
// rendered (like dist/) through the schema and policy gates, but printed for an administrator, never into dist/.
import { App, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { ClusterReaderRbac, type RbacSubject } from '../constructs/cluster-reader-rbac';

/** The reads to grant in one Argo CD namespace and the environment namespaces its Applications deploy to. */
export interface ReaderGrant {
  readonly argocdNamespace: string;
  /** The Applications status / verify read. */
  readonly applications: readonly string[];
  /** Each environment's namespace. */
  readonly namespaces: readonly string[];
  /** The Deployments read in those namespaces. */
  readonly deployments: readonly string[];
}

/** Props of {@link ClusterReaderChart}. */
export interface ClusterReaderChartProps {
  readonly grants: readonly ReaderGrant[];
  /** Who gets the access; at least one. */
  readonly subjects: readonly RbacSubject[];
}

/** One `ClusterReaderRbac` per Argo CD namespace. */
export class ClusterReaderChart extends Chart {
  constructor(scope: Construct, id: string, props: ClusterReaderChartProps) {
    super(scope, id);
    for (const grant of props.grants) {
      new ClusterReaderRbac(this, `reader-${grant.argocdNamespace}`, { ...grant, subjects: props.subjects });
    }
  }
}

/** The chart in an App of its own. */
export function clusterReaderChart(props: ClusterReaderChartProps): Chart {
  return new ClusterReaderChart(new App(), 'cluster-reader', props);
}
