// The ArgoApplication construct: an Argo CD Application with the sync, compare and retry options every
// environment uses.
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { type ArgoDestination, destinationSpec } from './argo-destination';

/**
 * Sync options of every Application we render:
 * - PruneLast: delete removed objects only after everything else is applied and healthy.
 * - FailOnSharedResource: refuse to sync an object another Application already tracks.
 * - ServerSideApply: field ownership instead of the last-applied annotation (no 256 KiB limit, and fields
 *   owned by others, such as the replica count an HPA writes, are never ours to reset).
 * Not set on purpose: CreateNamespace (the Namespace is rendered), ApplyOutOfSyncOnly (a handful of
 * objects per app; re-applying all of them is cheap and keeps a sync simple to reason about), Replace.
 */
export const SYNC_OPTIONS = ['PruneLast=true', 'FailOnSharedResource=true', 'ServerSideApply=true'] as const;

/**
 * Compare options of every Application we render (annotation `argocd.argoproj.io/compare-options`, a
 * comma-separated list). `ServerSideDiff=true`: Argo CD predicts the live object with a server-side apply dry
 * run, so the API server applies each CRD's `default:` values and its admission defaults before comparing.
 * Without it, `ServerSideApply=true` makes Argo CD use its structured-merge diff, which Argo CD's own docs call
 * discontinued and which reports fields a CRD defaults (e.g. ExternalSecret's strategies in the ESO releases that
 * default them) as drift forever: OutOfSync, `verify` never passes, selfHeal loops. Checked against Argo CD
 * v3.6's "Diff Strategies" page (server-side diff is stable since v3.1). Not set: `IncludeMutationWebhook=true`
 * (our kinds have no mutating webhooks whose fields we want compared).
 */
export const COMPARE_OPTIONS = ['ServerSideDiff=true'] as const;

/** The annotation that carries the compare options. */
export const COMPARE_OPTIONS_ANNOTATION = 'argocd.argoproj.io/compare-options';

/** Retry failed syncs 5 times: 10s, 20s, 40s, 80s, 160s (capped at 3m). */
export const SYNC_RETRY = { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } } as const;

/** How an Application syncs; `prune` and `selfHeal` only matter when `automated` is true. */
export interface ArgoSyncSettings {
  readonly automated: boolean;
  readonly prune: boolean;
  readonly selfHeal: boolean;
}

/** Props of an Argo CD Application with one Git directory source. */
export interface ArgoApplicationProps {
  /** Application name. */
  readonly name: string;
  /** Namespace Argo CD runs in. */
  readonly namespace: string;
  /** AppProject the Application belongs to (never `default`). */
  readonly project: string;
  /** Git repository URL. */
  readonly repoURL: string;
  /** Branch or tag. */
  readonly targetRevision: string;
  /** Directory of plain manifests inside the repository. */
  readonly path: string;
  /** Where the manifests go. */
  readonly destination: ArgoDestination;
  /** Sync policy; `automated: false` leaves syncing to a person. */
  readonly sync: ArgoSyncSettings;
  /** Labels on the Application object. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Glob of the files in `path` that Argo CD reads (`source.directory.include`); others are ignored.
   * @default - every file in `path`
   */
  readonly include?: string;
}

/**
 * An Argo CD Application. No `resources-finalizer.argocd.argoproj.io`: deleting the Application object
 * (by hand or because the root app pruned it) never deletes what it deployed; see argocd/README.md.
 */
export class ArgoApplication extends ApiObject {
  constructor(scope: Construct, id: string, props: ArgoApplicationProps) {
    if (props.project === 'default') {
      throw new Error(
        `Application '${props.name}': project "default" is not allowed; use a locked-down project`,
      );
    }
    super(scope, id, {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: props.name,
        namespace: props.namespace,
        ...(props.labels !== undefined && { labels: { ...props.labels } }),
        annotations: { [COMPARE_OPTIONS_ANNOTATION]: COMPARE_OPTIONS.join(',') },
      },
      spec: {
        project: props.project,
        source: {
          repoURL: props.repoURL,
          targetRevision: props.targetRevision,
          path: props.path,
          ...(props.include !== undefined && { directory: { include: props.include } }),
        },
        destination: destinationSpec(props.destination),
        syncPolicy: {
          ...(props.sync.automated && {
            automated: { prune: props.sync.prune, selfHeal: props.sync.selfHeal },
          }),
          syncOptions: [...SYNC_OPTIONS],
          retry: { limit: SYNC_RETRY.limit, backoff: { ...SYNC_RETRY.backoff } },
        },
      },
    });
  }
}
