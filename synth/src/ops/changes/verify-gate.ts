// The promotion gate's contract: is the source environment verified live now at this image?
import type { EnvironmentView } from '../../config';
import type { TaggedImage } from '../../domain/image-ref';

/** The answer of the promotion gate about the source environment. */
export type GateResult =
  /** Verified live now at the image; `revision` is the commit it was verified at (40 hex). */
  | { readonly ok: true; readonly revision: string }
  /** Not verified: the first unmet condition, in one line. */
  | {
      readonly ok: false;
      readonly reason: string;
      /** True when the gate could not ask the cluster at all (no kubeconfig, unknown context). */
      readonly noAccess?: boolean;
    };

/**
 * "Is environment `env` verified live now at `image`?": one check, no waiting (promote asks about the present).
 * The real gate (`cluster-gate.ts`) is the cluster module's verify, handed the view the promote plan holds.
 */
export type VerifyGate = (env: EnvironmentView, image: TaggedImage) => Promise<GateResult>;
