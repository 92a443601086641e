/** Annotations the ACK controllers and Argo CD read on the ACK objects synth renders. */
export const ACK_ANNOTATIONS = {
  /** `retain` keeps the AWS resource when its object is deleted; `delete` deletes it too. */
  deletionPolicy: 'services.k8s.aws/deletion-policy',
  /** Region the controller manages the resource in (else the controller's own region). */
  region: 'services.k8s.aws/region',
  /** `adopt-or-create`: take over an existing resource of the same name instead of failing to create it. */
  adoptionPolicy: 'services.k8s.aws/adoption-policy',
  /** Argo CD applies lower waves first and waits until they are healthy. */
  syncWave: 'argocd.argoproj.io/sync-wave',
} as const;

/** What every ACK object synth renders takes: its Kubernetes name, its AWS tags and its Argo CD sync wave. */
export interface AckObjectProps {
  /** Name of the Kubernetes object. */
  readonly name: string;
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
