// Plans `bump <env> --tag`: sets an environment's image after checking its image policy and pin.
import type { EnvironmentView } from '../../config';
import { formatImage, sameImage, type TaggedImage } from '../../domain/image-ref';
import { refused } from '../errors';
import { commitMessage } from '../git/trailers';
import { editYaml } from '../yaml/yaml-edit';
import type { AlreadyPlan, ChangePlan, Snapshot } from './apply';
import { checkImagePolicy } from './image-policy';
import { fileOf, imageEdits, requireEnv } from './plan-helpers';

/** What `bump` was asked. */
export interface BumpRequest {
  readonly env: string;
  readonly tag: string;
  readonly digest?: string;
  /** Bump a pinned environment anyway (needs `reason`). */
  readonly force: boolean;
  readonly reason?: string;
}

/**
 * Plans `bump <env> --tag <tag> [--digest …]`: checks the environment's image policy, refuses a pinned
 * environment unless forced with a reason, and edits only `image.tag` / `image.digest` (a bump without a
 * digest drops the old one, which belonged to the old tag).
 */
export function planBump(request: BumpRequest, { texts, envs }: Snapshot): ChangePlan | AlreadyPlan {
  const env = requireEnv(envs, request.env);
  if (env.pin && !request.force) throw pinnedRefusal(env, 'bump');
  const image: TaggedImage = {
    repository: env.image.repository,
    tag: request.tag,
    ...(request.digest ? { digest: request.digest } : {}),
  };
  checkImagePolicy(env, image);
  if (sameImage(env.image, image)) {
    return { kind: 'already', summary: `${env.name} is already at ${formatImage(image)}; nothing changed` };
  }
  const text = editYaml(texts.get(fileOf(env)) as string, env.file, imageEdits(env.image, image));
  const previous = formatImage(env.image);
  const dropsDigest = env.image.digest !== undefined && image.digest === undefined;
  const message = commitMessage(
    `${env.name}: bump image to ${image.tag}`,
    [`Bump ${env.name} from ${previous} to ${formatImage(image)}.`],
    {
      environment: env.name,
      action: 'bump',
      image: formatImage(image),
      ...(image.digest ? { digest: image.digest } : {}),
      ...(request.reason ? { reason: request.reason } : {}),
      previousImage: previous,
    },
  );
  return {
    kind: 'change',
    files: new Map([[fileOf(env), text]]),
    message,
    summary: `${env.name}: ${previous} → ${formatImage(image)}${dropsDigest ? DIGEST_DROPPED : ''}`,
  };
}

/** Said when a bump without --digest leaves an environment that had one: the digest named the old image. */
const DIGEST_DROPPED = ' (its digest named the old image and is dropped; pass --digest to pin the new one)';

/** The refusal for a change into a pinned environment. */
export function pinnedRefusal(env: EnvironmentView, command: string): Error {
  const pin = env.pin as NonNullable<EnvironmentView['pin']>;
  return refused(
    `${env.file}: environment "${env.name}" is pinned${pin.since ? ` since ${pin.since}` : ''} (${JSON.stringify(pin.reason)}); ${command} refuses a pinned environment (run unpin ${env.name} first${command === 'bump' ? ', or pass --force --reason "<why>"' : ''})`,
  );
}
