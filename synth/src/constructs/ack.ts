/** Annotations the ACK controllers and Argo CD read on the ACK objects synth renders. */
export const ACK_ANNOTATIONS = {
  /**
   * `retain` keeps the AWS resource when its object is deleted; `delete` deletes it too. ACK reads it on the
   * object first, then `<service>.services.k8s.aws/deletion-policy` on the namespace, then the controller's
   * `--deletion-policy` (ACK's "Deletion Policy" guide); the EKS managed ACK capability has no setting for the
   * last and deletes, so synth always writes it on the object.
   */
  deletionPolicy: 'services.k8s.aws/deletion-policy',
  /** Region the controller manages the resource in (else the controller's own region). */
  region: 'services.k8s.aws/region',
  /** `adopt-or-create`: take over an existing resource of the same name instead of failing to create it. */
  adoptionPolicy: 'services.k8s.aws/adoption-policy',
  /** Argo CD applies lower waves first and waits until they are healthy. */
  syncWave: 'argocd.argoproj.io/sync-wave',
} as const;

/**
 * What every ACK object synth renders takes: its Kubernetes name, its AWS tags, its Argo CD sync wave and whether
 * the AWS resource outlives the object.
 */
export interface AckObjectProps {
  /** Name of the Kubernetes object. */
  readonly name: string;
  /**
   * Keep the AWS resource when the object (or the whole environment) is deleted: ACK deletion policy `retain`;
   * otherwise `delete`. Always written, never left to a controller default.
   * @default false
   */
  readonly retain?: boolean;
  /**
   * AWS tags.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Argo CD sync wave.
   * @default - none (wave 0)
   */
  readonly syncWave?: number;
}

/** AWS tags as ACK's `[{ key, value }]` list, sorted by key (deterministic output). */
export function tagList(tags: Readonly<Record<string, string>>): { key: string; value: string }[] {
  return Object.keys(tags)
    .sort()
    .map((key) => ({ key, value: tags[key] as string }));
}

/** The sync-wave annotation, or nothing when `wave` is undefined. */
export function syncWaveAnnotation(wave: number | undefined): Record<string, string> {
  return wave === undefined ? {} : { [ACK_ANNOTATIONS.syncWave]: String(wave) };
}

/** The ACK deletion-policy annotation, written explicitly whichever the value. */
export function deletionPolicyAnnotation(retain: boolean | undefined): Record<string, string> {
  return { [ACK_ANNOTATIONS.deletionPolicy]: (retain ?? false) ? 'retain' : 'delete' };
}
