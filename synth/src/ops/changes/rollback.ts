// Plans `rollback <env>`: chooses an earlier image (given, or the last verified one from history) and sets
// it, pinning the environment.
import type { EnvironmentView } from '../../config';
import type { Git } from '../../domain/git';
import { formatImage, sameImage, type TaggedImage } from '../../domain/image-ref';
import { refused, usageError } from '../errors';
import { environmentHistory, imageOfFile, imagesVerifiedIn } from '../git/history';
import { commitMessage } from '../git/trailers';
import { editYaml } from '../yaml/yaml-edit';
import type { AlreadyPlan, ChangePlan, Snapshot } from './apply';
import { parseImageFlag } from './image-flags';
import { checkImagePolicy } from './image-policy';
import { pinValue } from './pin';
import { fileOf, imageEdits, requireEnv } from './plan-helpers';

/** What `rollback` was asked. */
export interface RollbackRequest {
  readonly env: string;
  /** An image reference (`repo:tag[@digest]` or `tag[@digest]`) or a commit whose file holds the image. */
  readonly to?: string;
  readonly reason?: string;
}

/** Where the rollback target came from, for the output. */
export interface RollbackChoice {
  readonly image: TaggedImage;
  readonly evidence: string;
}

/**
 * The image to roll back to. With `--to`, that image (or the environment's image at that commit). Without it,
 * the newest image the environment held before the current one that passed verification, according to the
 * trailers: verified live in this environment (a promotion out of it passed its gate), or promoted into it
 * through a gate that passed.
 */
export function chooseRollbackTarget(git: Git, env: EnvironmentView, to: string | undefined): RollbackChoice {
  if (to !== undefined) return explicitTarget(git, env, to);
  const verifiedHere = imagesVerifiedIn(git, env.name);
  for (const entry of environmentHistory(git, env.name, env.file)) {
    if (!entry.image || sameImage(entry.image, env.image)) continue;
    const ref = formatImage(entry.image);
    const here = verifiedHere.get(ref);
    if (here)
      return {
        image: entry.image,
        evidence: `verified live in ${env.name} (promotion ${here.slice(0, 12)})`,
      };
    if (entry.action === 'promote' && entry.verified === 'passed') {
      return {
        image: entry.image,
        evidence: `promoted from ${entry.source} through a passed gate (${entry.commit.slice(0, 12)})`,
      };
    }
  }
  throw refused(
    `no earlier image of ${env.name} passed verification according to the commit trailers; name one with --to <image or commit>`,
  );
}

function explicitTarget(git: Git, env: EnvironmentView, to: string): RollbackChoice {
  if (/^[0-9a-f]{7,40}$/.test(to)) {
    const commit = git.tryRun(['rev-parse', '--verify', '--quiet', `${to}^{commit}`]);
    if (commit.status === 0) {
      const id = commit.stdout.trim();
      const shown = git.tryRun(['show', `${id}:${env.file}`]);
      const { image } = imageOfFile(shown.status === 0 ? shown.stdout : undefined);
      if (!image) throw usageError(`--to ${to}: commit ${id.slice(0, 12)} has no readable ${env.file}`);
      return { image, evidence: `the image of ${env.file} at ${id.slice(0, 12)}` };
    }
  }
  return { image: parseImageFlag(to, env.image.repository), evidence: 'given with --to' };
}

/**
 * Plans `rollback <env>`: sets the chosen image and pins the environment with the reason, so no bump or
 * promotion moves it forward again until someone runs `unpin`.
 */
export function planRollback(
  request: RollbackRequest,
  git: Git,
  now: Date,
  { texts, envs }: Snapshot,
  onChoice: (choice: RollbackChoice) => void,
): ChangePlan | AlreadyPlan {
  const env = requireEnv(envs, request.env);
  const choice = chooseRollbackTarget(git, env, request.to);
  onChoice(choice);
  checkImagePolicy(env, choice.image);
  const previous = formatImage(env.image);
  const target = formatImage(choice.image);
  if (sameImage(env.image, choice.image) && env.pin) {
    return { kind: 'already', summary: `${env.name} is already at ${target} and pinned; nothing changed` };
  }
  if (sameImage(env.image, choice.image)) {
    // Not a rollback: nothing would move. Pinning where it stands is what pin is for.
    throw refused(
      `${env.name} is already at ${target} (${choice.evidence}); rollback moves to an earlier image; to hold ${env.name} where it is, run pin ${env.name} --reason "<why>"`,
    );
  }
  const reason = request.reason ?? `rollback from ${previous} to ${target}`;
  const edits = imageEdits(env.image, choice.image);
  if (!env.pin) edits.push({ path: ['pin'], value: pinValue(reason, now) });
  else
    edits.push(
      { path: ['pin', 'reason'], value: reason },
      { path: ['pin', 'since'], value: pinValue(reason, now).since },
    );
  const text = editYaml(texts.get(fileOf(env)) as string, env.file, edits);
  return {
    kind: 'change',
    files: new Map([[fileOf(env), text]]),
    message: commitMessage(
      `${env.name}: roll back to ${choice.image.tag}`,
      [`Roll back ${env.name} from ${previous} to ${target} (${choice.evidence}) and pin it: ${reason}.`],
      {
        environment: env.name,
        action: 'rollback',
        image: target,
        ...(choice.image.digest ? { digest: choice.image.digest } : {}),
        reason,
        previousImage: previous,
      },
    ),
    summary: `${env.name}: ${previous} → ${target} (${choice.evidence}); pinned`,
  };
}
