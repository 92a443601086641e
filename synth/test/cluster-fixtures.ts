// Realistic live objects for tests and the benchmark, shaped like what the API server and Argo CD return
// (field names and nesting as in argo-cd's types.go and the Kubernetes apps/v1 and core/v1 APIs).
import type { Application, Deployment, Pod } from '../src/cluster/objects';

export const REPOSITORY = 'registry.example.com/guestlist';
export const DIGEST_A = `sha256:${'a1'.repeat(32)}`;
export const DIGEST_B = `sha256:${'b2'.repeat(32)}`;
export const REVISION_1 = '1111111111111111111111111111111111111111';

/** Options of {@link application}; every field has a healthy default. */
export interface ApplicationOptions {
  readonly env?: string;
  readonly sync?: 'Synced' | 'OutOfSync' | 'Unknown';
  readonly revision?: string;
  readonly health?: 'Healthy' | 'Progressing' | 'Degraded' | 'Suspended' | 'Missing' | 'Unknown';
  readonly healthMessage?: string;
  readonly phase?: 'Running' | 'Terminating' | 'Failed' | 'Error' | 'Succeeded';
  readonly phaseMessage?: string;
  readonly startedAt?: string;
  /** `null` leaves it out (an operation that has not finished). */
  readonly finishedAt?: string | null;
  readonly reconciledAt?: string;
  readonly operation?: boolean;
  readonly conditions?: readonly { type: string; message: string }[];
  readonly images?: readonly string[];
  readonly resourceVersion?: string;
}

/** An Argo CD Application `guestlist-<env>` in `argocd`, Synced and Healthy unless told otherwise. */
export function application(o: ApplicationOptions = {}): Application {
  const env = o.env ?? 'dev';
  const revision = o.revision ?? REVISION_1;
  const finishedAt = o.finishedAt === undefined ? '2026-11-20T10:00:30Z' : o.finishedAt;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: `guestlist-${env}`,
      namespace: 'argocd',
      resourceVersion: o.resourceVersion ?? '1000',
    },
    spec: {
      source: {
        path: `dist/${env}`,
        repoURL: 'https://github.com/example/guestlist-gitops.git',
        targetRevision: 'main',
      },
      destination: { namespace: `guestlist-${env}`, server: 'https://kubernetes.default.svc' },
    },
    ...(o.operation ? { operation: { sync: { revision }, initiatedBy: { automated: true } } } : {}),
    status: {
      sync: {
        status: o.sync ?? 'Synced',
        revision,
        comparedTo: { source: { path: `dist/${env}`, targetRevision: 'main' } },
      },
      health: { status: o.health ?? 'Healthy', ...(o.healthMessage ? { message: o.healthMessage } : {}) },
      operationState: {
        phase: o.phase ?? 'Succeeded',
        message: o.phaseMessage ?? 'successfully synced (all tasks run)',
        startedAt: o.startedAt ?? '2026-11-20T10:00:00Z',
        ...(finishedAt !== null ? { finishedAt } : {}),
        syncResult: { revision },
      },
      reconciledAt: o.reconciledAt ?? '2026-11-20T10:01:00Z',
      ...(o.conditions ? { conditions: o.conditions } : {}),
      summary: { images: [...(o.images ?? [`${REPOSITORY}:0.1.0`])] },
    },
  };
}

/** Options of {@link deployment}; defaults to a complete rollout of 3 replicas. */
export interface DeploymentOptions {
  readonly env?: string;
  readonly image?: string;
  readonly generation?: number;
  readonly observedGeneration?: number;
  readonly replicas?: number;
  readonly updated?: number;
  readonly ready?: number;
  readonly available?: number;
  /** All replicas, old ReplicaSets included (`status.replicas`). */
  readonly total?: number;
  readonly progressing?: 'NewReplicaSetAvailable' | 'ReplicaSetUpdated' | 'ProgressDeadlineExceeded';
  readonly resourceVersion?: string;
}

/** The `guestlist` Deployment of an environment, as the API returns it. */
export function deployment(o: DeploymentOptions = {}): Deployment {
  const env = o.env ?? 'dev';
  const replicas = o.replicas ?? 3;
  const updated = o.updated ?? replicas;
  const generation = o.generation ?? 4;
  const progressing = o.progressing ?? 'NewReplicaSetAvailable';
  const messages: Record<string, string> = {
    NewReplicaSetAvailable: 'ReplicaSet "guestlist-7d9c8b6f5" has successfully progressed.',
    ReplicaSetUpdated: 'ReplicaSet "guestlist-7d9c8b6f5" is progressing.',
    ProgressDeadlineExceeded: 'ReplicaSet "guestlist-7d9c8b6f5" has timed out progressing.',
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'guestlist',
      namespace: `guestlist-${env}`,
      generation,
      resourceVersion: o.resourceVersion ?? '2000',
      labels: { 'app.kubernetes.io/instance': `guestlist-${env}` },
    },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'guestlist' } },
      template: {
        metadata: { labels: { app: 'guestlist' } },
        spec: { containers: [{ name: 'guestlist', image: o.image ?? `${REPOSITORY}:0.1.0` }] },
      },
    },
    status: {
      observedGeneration: o.observedGeneration ?? generation,
      replicas: o.total ?? updated,
      updatedReplicas: updated,
      readyReplicas: o.ready ?? updated,
      availableReplicas: o.available ?? o.ready ?? updated,
      conditions: [
        {
          type: 'Available',
          status: 'True',
          reason: 'MinimumReplicasAvailable',
          message: 'Deployment has minimum availability.',
        },
        {
          type: 'Progressing',
          status: progressing === 'ProgressDeadlineExceeded' ? 'False' : 'True',
          reason: progressing,
          message: messages[progressing] as string,
        },
      ],
    },
  };
}

/** Options of {@link pod}. */
export interface PodOptions {
  readonly env?: string;
  readonly name: string;
  /** The pod-template-hash of its ReplicaSet. */
  readonly hash?: string;
  readonly image?: string;
  readonly digest?: string;
  readonly ready?: boolean;
  readonly deleting?: boolean;
  /** Leaves out the owner reference (a pod that only shares the labels). */
  readonly orphan?: boolean;
}

/** A pod of the Deployment's ReplicaSet `guestlist-<hash>`, running and Ready unless told otherwise. */
export function pod(o: PodOptions): Pod {
  const env = o.env ?? 'dev';
  const hash = o.hash ?? '7d9c8b6f5';
  const image = o.image ?? `${REPOSITORY}:0.1.0`;
  const ready = o.ready ?? true;
  const repo = image.replace(/[:@].*$/, '');
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: o.name,
      namespace: `guestlist-${env}`,
      labels: { app: 'guestlist', 'pod-template-hash': hash },
      ...(o.deleting ? { deletionTimestamp: new Date('2026-11-20T10:02:00Z') } : {}),
      ...(o.orphan
        ? {}
        : {
            ownerReferences: [
              {
                apiVersion: 'apps/v1',
                kind: 'ReplicaSet',
                name: `guestlist-${hash}`,
                uid: `uid-${hash}`,
                controller: true,
                blockOwnerDeletion: true,
              },
            ],
          }),
    },
    spec: { containers: [{ name: 'guestlist', image }] },
    status: {
      phase: 'Running',
      conditions: [
        { type: 'Initialized', status: 'True' },
        { type: 'Ready', status: ready ? 'True' : 'False' },
        { type: 'ContainersReady', status: ready ? 'True' : 'False' },
        { type: 'PodScheduled', status: 'True' },
      ],
      containerStatuses: [
        {
          name: 'guestlist',
          image,
          imageID: `${repo}@${o.digest ?? DIGEST_A}`,
          ready,
          restartCount: 0,
          started: true,
          state: { running: { startedAt: new Date('2026-11-20T10:00:40Z') } },
        },
      ],
    },
  };
}
