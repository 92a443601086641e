// Plans `env remove <name>`: deletes an environment file, refusing protected environments without a reason
// and ones another is promoted from.
import { formatImage } from '../../domain/image-ref';
import { refused } from '../errors';
import { commitMessage } from '../git/trailers';
import type { ChangePlan, Snapshot } from './apply';
import { fileOf, requireEnv } from './plan-helpers';

/** What `env remove` was asked. */
export interface EnvRemoveRequest {
  readonly name: string;
  /** Remove a protected environment (needs `reason`). */
  readonly force: boolean;
  readonly reason?: string;
}

/**
 * Plans `env remove <name>`: deletes the environment file; rendering then removes `dist/<name>/` and its Argo CD
 * Application (the project's `guestlist-*` destination stays). A protected environment needs `--force --reason`; an environment that another
 * one is promoted from cannot be removed until that `promotion.from` changes.
 */
export function planEnvRemove(request: EnvRemoveRequest, { envs }: Snapshot): ChangePlan {
  const env = requireEnv(envs, request.name);
  if (env.protected && !request.force) {
    throw refused(
      `${env.file}: environment "${env.name}" is protected; removing it needs --force --reason "<why>"`,
    );
  }
  const dependents = [...envs.values()].filter((e) => e.promotion?.from === env.name);
  if (dependents.length > 0) {
    const first = dependents[0] as (typeof dependents)[number];
    throw refused(
      `${first.name} is promoted from ${env.name} (promotion.from in ${first.file}); change that first`,
    );
  }
  return {
    kind: 'change',
    files: new Map([[fileOf(env), null]]),
    message: commitMessage(
      `${env.name}: remove environment`,
      [`Remove environment ${env.name} (was at ${formatImage(env.image)}).`],
      {
        environment: env.name,
        action: 'env-remove',
        previousImage: formatImage(env.image),
        ...(request.reason ? { reason: request.reason } : {}),
      },
    ),
    summary: `${env.name}: removed (dist/${env.name} and its Argo CD Application go with it)`,
  };
}
