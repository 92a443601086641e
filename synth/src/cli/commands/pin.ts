/** `pin <env> --reason …` and `unpin <env>`: freeze an environment at its image, or release it. */
import { usageError } from '../../errors';
import { applyChange } from '../../ops/changes/apply';
import { planPin, planUnpin } from '../../ops/changes/pin';
import { defineCommand } from '../command';
import { printApply } from './apply-output';
import { openRepository } from './repository';
import { envArg, REASON_OPTION, reasonFlag, WRITE_OPTIONS, writeFlags } from './write-options';

export const pinCommand = defineCommand({
  name: 'pin',
  summary: 'pin an environment at its image (bump and promote refuse it)',
  synopsis: '<env> --reason "<text>" [--commit] [--push [--retries N]] [--json]',
  description: `Pins an environment at its current image: writes pin: { reason, since } into environments/<env>.yaml.
While pinned, bump and promote into it refuse (bump only with --force --reason). unpin removes the pin.`,
  positionals: [{ name: 'env', help: 'the environment to pin' }],
  options: {
    reason: { ...REASON_OPTION, help: 'why it is pinned (required); in the file and the trailers' },
    ...WRITE_OPTIONS,
  },
  exitCodes: '0 pinned or already pinned, 1 refused, 2 usage error',
  examples: [
    'npm run pin -- prod --reason "incident 42: hold 0.3.1 until the fix"',
    'npm run pin -- prod --reason "release freeze" --commit --push',
  ],
  async run({ values: v, positionals }, ctx) {
    const env = envArg(positionals[0]);
    if (v.reason === undefined) {
      throw usageError(
        '--reason: is required (why the environment is pinned; recorded in the file and the trailers)',
      );
    }
    const reason = reasonFlag(v.reason) as string;
    const flags = writeFlags(v);
    const now = ctx.now?.() ?? new Date();
    const repo = openRepository(ctx.cwd);
    const result = await applyChange(
      repo.workspace(),
      flags.commit ? repo.git() : undefined,
      async (s) => planPin(env, reason, now, s),
      { ...flags, log: (line) => ctx.io.err(`pin: ${line}`) },
    );
    printApply(ctx.io, flags.json, 'pin', result, { environment: env, reason });
    return 0;
  },
});

export const unpinCommand = defineCommand({
  name: 'unpin',
  summary: 'remove the pin',
  description:
    'Removes the pin from environments/<env>.yaml, so bump and promote may change its image again.',
  positionals: [{ name: 'env', help: 'the environment to release' }],
  options: WRITE_OPTIONS,
  exitCodes: '0 unpinned or not pinned, 1 refused, 2 usage error',
  examples: ['npm run unpin -- prod', 'npm run unpin -- prod --commit --push'],
  async run({ values: v, positionals }, ctx) {
    const env = envArg(positionals[0]);
    const flags = writeFlags(v);
    const repo = openRepository(ctx.cwd);
    const result = await applyChange(
      repo.workspace(),
      flags.commit ? repo.git() : undefined,
      async (s) => planUnpin(env, s),
      { ...flags, log: (line) => ctx.io.err(`unpin: ${line}`) },
    );
    printApply(ctx.io, flags.json, 'unpin', result, { environment: env });
    return 0;
  },
});
