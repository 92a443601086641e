// The parts of the live objects that status and verify read. Deployments and Pods use client-node's own
// model types; the Argo CD Application is a custom resource, so its fields (argo-cd
// pkg/apis/application/v1alpha1/types.go) are declared here.
export type { V1Deployment as Deployment, V1Pod as Pod } from './kube-api';

/** `status.conditions[]` of an Application. */
export interface ApplicationCondition {
  readonly type: string;
  readonly message?: string;
  readonly lastTransitionTime?: string;
}

/** An Argo CD Application as read from the API (only the fields used). */
export interface Application {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly resourceVersion?: string;
  };
  readonly spec?: {
    readonly source?: { readonly path?: string; readonly repoURL?: string; readonly targetRevision?: string };
    readonly destination?: { readonly namespace?: string; readonly server?: string; readonly name?: string };
  };
  /** A requested operation that has not finished yet. */
  readonly operation?: Record<string, unknown>;
  readonly status?: {
    readonly sync?: {
      readonly status?: string;
      readonly revision?: string;
      readonly revisions?: string[];
      readonly comparedTo?: unknown;
    };
    readonly health?: { readonly status?: string; readonly message?: string };
    readonly operationState?: {
      readonly phase?: string;
      readonly message?: string;
      readonly startedAt?: string;
      readonly finishedAt?: string;
      readonly syncResult?: { readonly revision?: string };
    };
    readonly reconciledAt?: string;
    readonly conditions?: readonly ApplicationCondition[];
    readonly summary?: { readonly images?: readonly string[] };
  };
}

/** The synced revision (`sync.revision`, or the first of `sync.revisions` for multi-source apps). */
export function syncedRevision(app: Application): string | undefined {
  return app.status?.sync?.revision ?? app.status?.sync?.revisions?.[0];
}
