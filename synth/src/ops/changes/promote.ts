// Plans `promote <from> <to>`: copies an environment's exact image to the next one in the promotion chain,
// behind the verification gate.
import { formatImage, sameImage, type TaggedImage } from '../../domain/image-ref';
import { refused } from '../errors';
import { commitMessage, type Verified } from '../git/trailers';
import { editYaml } from '../yaml/yaml-edit';
import type { Plan, Snapshot } from './apply';
import { pinnedRefusal } from './bump';
import { checkImagePolicy } from './image-policy';
import { fileOf, imageEdits, requireEnv } from './plan-helpers';
import type { VerifyGate } from './verify-gate';

/** What `promote` was asked. */
export interface PromoteRequest {
  readonly from: string;
  readonly to: string;
  /** Promote without the verification gate (needs `reason`, recorded in the trailers). */
  readonly skipVerify: boolean;
  readonly reason?: string;
}

/** What the promotion did, for the PR title and body. */
export interface PromoteInfo {
  readonly from: string;
  readonly to: string;
  readonly image: TaggedImage;
  readonly previous: TaggedImage;
  readonly verified: Verified;
  readonly verifiedRevision?: string;
  readonly reason?: string;
}

/**
 * Plans `promote <from> <to>`: only along the declared chain (`to`'s `promotion.from` is `from`), copying
 * `from`'s exact image (repository, tag and digest); refuses when `to` demands a digest that `from` lacks,
 * when `to` is pinned, and unless the gate says `from` is verified live now at that image (or the gate is
 * skipped with a reason, which the trailers record).
 */
export async function planPromote(
  request: PromoteRequest,
  { texts, envs }: Snapshot,
  gate: VerifyGate,
  onInfo: (info: PromoteInfo) => void,
): Promise<Plan> {
  const from = requireEnv(envs, request.from, 'source environment');
  const to = requireEnv(envs, request.to, 'target environment');
  const declared = to.promotion?.from;
  if (declared !== from.name) {
    throw refused(
      declared === undefined
        ? `${from.name} → ${to.name}: ${to.file} declares no promotion.from; promote only moves images along the declared chain`
        : `${from.name} → ${to.name}: ${to.name} is promoted from "${declared}" (promotion.from in ${to.file}), not from "${from.name}"`,
    );
  }
  if (to.pin) throw pinnedRefusal(to, 'promote');
  const image = from.image;
  if (to.imagePolicy.requireDigest && image.digest === undefined) {
    throw refused(
      `${from.name} → ${to.name}: ${to.name} requires a digest (imagePolicy.requireDigest in ${to.file}) but ${from.name}'s image ${formatImage(image)} has none; bump ${from.name} with --digest first`,
    );
  }
  checkImagePolicy(to, image);
  if (sameImage(to.image, image)) {
    return {
      kind: 'already',
      summary: `${to.name} is already at ${formatImage(image)} (the image of ${from.name}); nothing changed`,
    };
  }
  let verified: Verified = 'skipped';
  let verifiedRevision: string | undefined;
  if (!request.skipVerify) {
    const result = await gate(from, image);
    if (!result.ok && result.noAccess) {
      throw refused(
        `${from.name} → ${to.name}: cannot verify ${from.name} live at ${formatImage(image)}: ${result.reason}; give promote read access to the cluster with --kubeconfig <file>, --context <ctx> or KUBECONFIG (npm run status -- --rbac <subject> prints the read-only RBAC), or pass --skip-verify --reason "<why>"`,
      );
    }
    if (!result.ok) {
      throw refused(
        `${from.name} → ${to.name}: ${from.name} is not verified live at ${formatImage(image)}: ${result.reason} (wait for it, or pass --skip-verify --reason "<why>")`,
      );
    }
    verified = 'passed';
    verifiedRevision = result.revision;
  }
  const info: PromoteInfo = {
    from: from.name,
    to: to.name,
    image,
    previous: to.image,
    verified,
    ...(verifiedRevision ? { verifiedRevision } : {}),
    ...(request.reason ? { reason: request.reason } : {}),
  };
  onInfo(info);
  const text = editYaml(texts.get(fileOf(to)) as string, to.file, imageEdits(to.image, image));
  const message = commitMessage(
    `${to.name}: promote ${image.tag} from ${from.name}`,
    [
      `Promote ${formatImage(image)} from ${from.name} to ${to.name} (was ${formatImage(to.image)}).`,
      verified === 'passed'
        ? `${from.name} was verified live at this image at ${verifiedRevision}.`
        : `Verification of ${from.name} was skipped: ${request.reason}.`,
    ],
    {
      environment: to.name,
      action: 'promote',
      image: formatImage(image),
      ...(image.digest ? { digest: image.digest } : {}),
      source: from.name,
      verified,
      ...(verifiedRevision ? { verifiedRevision } : {}),
      ...(request.reason ? { reason: request.reason } : {}),
      previousImage: formatImage(to.image),
    },
  );
  return {
    kind: 'change',
    files: new Map([[fileOf(to), text]]),
    message,
    summary: `${to.name}: ${formatImage(to.image)} → ${formatImage(image)} (from ${from.name}, verification ${verified})`,
  };
}
