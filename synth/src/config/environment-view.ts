// One view of an environment for the commands that act on it (bump, promote, rollback, status, verify):
// derived once from the validated config, so no command re-derives an image, a namespace or a soak its own way.
import type { TaggedImage } from '../domain/image-ref';
import type { EnvironmentConfig } from './schema';
import { type MetricsVerification, metricsVerification } from './verification';

/** What the commands need to know of one environment (after validation, defaults applied). */
export interface EnvironmentView {
  readonly name: string;
  /** The file as shown in messages and trailers, e.g. `environments/dev.yaml`. */
  readonly file: string;
  readonly image: TaggedImage;
  readonly imagePolicy: { readonly allowedTags: string; readonly requireDigest: boolean };
  readonly promotion?: { readonly from: string };
  readonly pin?: { readonly reason: string; readonly since?: string };
  readonly protected: boolean;
  /** The namespace the environment deploys into. */
  readonly namespace: string;
  /** The metrics soak verify runs, when the file declares one. */
  readonly verification?: MetricsVerification;
}

/** The view of a validated environment; `file` defaults to the path the loader showed (`config.source`). */
export function viewOf(c: EnvironmentConfig, file = c.source): EnvironmentView {
  return {
    name: c.name,
    file,
    image: {
      repository: c.image.repository,
      tag: c.image.tag,
      ...(c.image.digest !== undefined ? { digest: c.image.digest } : {}),
    },
    imagePolicy: c.imagePolicy,
    ...(c.promotion ? { promotion: { from: c.promotion.from } } : {}),
    ...(c.pin ? { pin: { reason: c.pin.reason, ...(c.pin.since ? { since: c.pin.since } : {}) } } : {}),
    protected: c.protected,
    namespace: c.namespace,
    ...(c.verification ? { verification: metricsVerification(c.verification, file) } : {}),
  };
}
