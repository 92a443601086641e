// Plans `pin` and `unpin`: while an environment is pinned, bump and promote into it refuse.
import { formatImage } from '../../domain/image-ref';
import { commitMessage } from '../git/trailers';
import { editYaml } from '../yaml/yaml-edit';
import type { AlreadyPlan, ChangePlan, Snapshot } from './apply';
import { fileOf, requireEnv } from './plan-helpers';

/** The `pin` block an environment file holds while pinned. */
export function pinValue(reason: string, now: Date): { reason: string; since: string } {
  return { reason, since: now.toISOString().replace(/\.\d{3}Z$/, 'Z') };
}

/**
 * Plans `pin <env> --reason`: writes `pin: { reason, since }` into the environment file. While it is there,
 * `bump` and `promote` into the environment refuse (a rollback is never bumped forward behind your back).
 */
export function planPin(
  env: string,
  reason: string,
  now: Date,
  { texts, envs }: Snapshot,
): ChangePlan | AlreadyPlan {
  const state = requireEnv(envs, env);
  if (state.pin) {
    return {
      kind: 'already',
      summary: `${env} is already pinned (${JSON.stringify(state.pin.reason)}); nothing changed`,
    };
  }
  const text = editYaml(texts.get(fileOf(state)) as string, state.file, [
    { path: ['pin'], value: pinValue(reason, now) },
  ]);
  return {
    kind: 'change',
    files: new Map([[fileOf(state), text]]),
    message: commitMessage(
      `${env}: pin at ${state.image.tag}`,
      [`Pin ${env} at ${formatImage(state.image)}: ${reason}.`],
      {
        environment: env,
        action: 'pin',
        image: formatImage(state.image),
        ...(state.image.digest ? { digest: state.image.digest } : {}),
        reason,
      },
    ),
    summary: `${env}: pinned at ${formatImage(state.image)}`,
  };
}

/** Plans `unpin <env>`: removes the `pin` block, so `bump` and `promote` may change the image again. */
export function planUnpin(env: string, { texts, envs }: Snapshot): ChangePlan | AlreadyPlan {
  const state = requireEnv(envs, env);
  if (!state.pin) return { kind: 'already', summary: `${env} is not pinned; nothing changed` };
  const text = editYaml(texts.get(fileOf(state)) as string, state.file, [{ path: ['pin'], delete: true }]);
  return {
    kind: 'change',
    files: new Map([[fileOf(state), text]]),
    message: commitMessage(`${env}: unpin`, [`Unpin ${env} (was pinned: ${state.pin.reason}).`], {
      environment: env,
      action: 'unpin',
      image: formatImage(state.image),
      ...(state.image.digest ? { digest: state.image.digest } : {}),
    }),
    summary: `${env}: unpinned at ${formatImage(state.image)}`,
  };
}
