// The ArgoAppProject construct: an Argo CD AppProject limited to exact repositories, destinations and kinds
// (wildcards refused).
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { type ArgoDestination, destinationSpec } from './argo-destination';

/** An API group and kind, as Argo CD resource whitelists spell them (`''` is the core group). */
export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

/**
 * A cluster-scoped kind, optionally only the object of one name (Argo CD 3.3+ reads `name` in
 * clusterResourceWhitelist entries; without it every object of the kind is allowed).
 */
export interface ClusterGroupKind extends GroupKind {
  readonly name?: string;
}

/** Props of an Argo CD AppProject. */
export interface ArgoAppProjectProps {
  /** Project name. */
  readonly name: string;
  /** Namespace Argo CD runs in. */
  readonly namespace: string;
  /** One-line description shown in the Argo CD UI. @default - none */
  readonly description?: string;
  /** Git repositories the project's Applications may use (exact URLs; never `*`). */
  readonly sourceRepos: readonly string[];
  /**
   * Clusters and namespaces the project's Applications may deploy to. Exact values, except that a namespace
   * may be a prefix pattern `<prefix>-*` (Argo CD matches destination namespaces as globs); a bare `*` or a
   * `*` anywhere else is refused.
   */
  readonly destinations: readonly ArgoDestination[];
  /** Cluster-scoped kinds (optionally by exact name) the project may manage. @default [] (none) */
  readonly clusterResources?: readonly ClusterGroupKind[];
  /** Namespaced kinds the project may manage; an empty list would allow every kind, so it is refused. */
  readonly namespaceResources: readonly GroupKind[];
  /**
   * Namespaces whose Applications may use this project (the managed Argo CD of EKS Capabilities requires the
   * Applications' namespace to be listed). @default - none (Applications only in Argo CD's own namespace)
   */
  readonly sourceNamespaces?: readonly string[];
  /** Warn about objects in a destination namespace that no Application manages. @default false */
  readonly warnOrphans?: boolean;
  /** Argo CD sync wave of the project itself (lower syncs first). @default - none */
  readonly syncWave?: number;
}

/**
 * A destination namespace pattern this construct writes: a DNS-label prefix ending in `-`, then `*`
 * (`guestlist-*`). Nothing else with a `*` is ever written.
 */
export const NAMESPACE_PATTERN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?-\*$/;

/**
 * An Argo CD AppProject that allows exactly what it is given: no wildcards are ever written, except a
 * destination namespace prefix pattern (`NAMESPACE_PATTERN`).
 */
export class ArgoAppProject extends ApiObject {
  constructor(scope: Construct, id: string, props: ArgoAppProjectProps) {
    const wild = [
      ...props.sourceRepos,
      ...props.destinations.flatMap((d) => [
        d.server ?? d.name,
        NAMESPACE_PATTERN.test(d.namespace) ? '' : d.namespace,
      ]),
      ...(props.clusterResources ?? []).flatMap((r) => [r.group, r.kind, r.name]),
      ...props.namespaceResources.flatMap((r) => [r.group, r.kind]),
    ].filter((v) => v?.includes('*'));
    if (wild.length > 0) {
      throw new Error(
        `AppProject '${props.name}': ${JSON.stringify(wild[0])} contains "*"; list exact values`,
      );
    }
    if (props.namespaceResources.length === 0) {
      // Argo CD reads an empty namespaceResourceWhitelist as "no restriction".
      throw new Error(`AppProject '${props.name}': namespaceResources is empty; that would allow every kind`);
    }
    super(scope, id, {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: {
        name: props.name,
        namespace: props.namespace,
        ...(props.syncWave !== undefined && {
          annotations: { 'argocd.argoproj.io/sync-wave': String(props.syncWave) },
        }),
      },
      spec: {
        ...(props.description !== undefined && { description: props.description }),
        sourceRepos: [...props.sourceRepos],
        ...(props.sourceNamespaces !== undefined && { sourceNamespaces: [...props.sourceNamespaces] }),
        destinations: props.destinations.map(destinationSpec),
        clusterResourceWhitelist: (props.clusterResources ?? []).map((r) => ({
          group: r.group,
          kind: r.kind,
          ...(r.name !== undefined && { name: r.name }),
        })),
        namespaceResourceWhitelist: props.namespaceResources.map((r) => ({ group: r.group, kind: r.kind })),
        ...((props.warnOrphans ?? false) && { orphanedResources: { warn: true } }),
      },
    });
  }
}
