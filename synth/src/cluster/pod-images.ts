// The images a Deployment's serving pods actually run, compared with the image expected.
import {
  digestOfImageId,
  type ImageRef,
  parseImage,
  runsExpectedImage,
  shortImage,
} from '../domain/image-ref';
import type { Pod } from './objects';

/** What one ready pod's container runs. */
export interface LiveContainer {
  readonly pod: string;
  /** `containerStatuses[].image` (the reference the runtime reports). */
  readonly image: string;
  /** `containerStatuses[].imageID` (the image actually pulled). */
  readonly imageID: string;
  /** The sha256 digest in `imageID`, when there is one. */
  readonly digest?: string;
}

/** A pod serves traffic when its `Ready` condition is True and it is not being deleted. */
export function isServing(pod: Pod): boolean {
  if (pod.metadata?.deletionTimestamp) return false;
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** Whether a pod belongs to a ReplicaSet of the named Deployment (ReplicaSets are `<deployment>-<hash>`). */
export function ownedBy(pod: Pod, deployment: string): boolean {
  return (
    pod.metadata?.ownerReferences?.some(
      (o) => o.kind === 'ReplicaSet' && o.name.startsWith(`${deployment}-`) && o.controller === true,
    ) ?? false
  );
}

/**
 * The named container of every serving pod of the Deployment, sorted by pod name. Pods that only share
 * the labels (a debug pod, another controller's) are left out.
 */
export function liveContainers(pods: readonly Pod[], deployment: string, container: string): LiveContainer[] {
  const out: LiveContainer[] = [];
  for (const pod of pods) {
    if (!isServing(pod) || !ownedBy(pod, deployment)) continue;
    const status = pod.status?.containerStatuses?.find((c) => c.name === container);
    if (!status) continue;
    const digest = digestOfImageId(status.imageID);
    out.push({
      pod: pod.metadata?.name ?? '?',
      image: status.image,
      imageID: status.imageID,
      ...(digest ? { digest } : {}),
    });
  }
  return out.sort((a, b) => (a.pod < b.pod ? -1 : a.pod > b.pod ? 1 : 0));
}

/** The first serving container that does not run the expected image. */
export function firstMismatch(live: readonly LiveContainer[], expected: ImageRef): LiveContainer | undefined {
  return live.find((c) => !runsExpectedImage(expected, c));
}

/** Distinct live images with their pod counts, e.g. `0.1.0@sha256:0123abcd ×3`. */
export function summarizeLive(live: readonly LiveContainer[]): string[] {
  const counts = new Map<string, number>();
  for (const c of live) {
    const ref = parseImage(c.image);
    const key = shortImage({ ...ref, ...(c.digest ? { digest: c.digest } : {}) });
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  // Most pods first: mid-rollout the new image leads once it has the majority.
  return [...counts].sort((a, b) => b[1] - a[1]).map(([image, n]) => `${image} ×${n}`);
}
