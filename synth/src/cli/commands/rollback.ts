/** `rollback <env> [--to …]`: restore the last verified earlier image (or the one named) and pin it. */
import { formatImage } from '../../domain/image-ref';
import { applyChange } from '../../ops/changes/apply';
import { planRollback, type RollbackChoice } from '../../ops/changes/rollback';
import { defineCommand } from '../command';
import { printApply } from './apply-output';
import { openRepository } from './repository';
import { envArg, REASON_OPTION, reasonFlag, WRITE_OPTIONS, writeFlags } from './write-options';

export const rollbackCommand = defineCommand({
  name: 'rollback',
  summary: 'restore the last verified earlier image (or --to) and pin',
  synopsis: '<env> [--to <image or commit>] [--reason "<text>"] [--commit] [--push [--retries N]] [--json]',
  description: `Restores an earlier image in environments/<env>.yaml and pins the environment, so no bump or promotion
moves it forward again until unpin. Without --to it picks, from the commit trailers, the newest image the
environment held before the current one that passed verification: verified live in <env> (a promotion out
of it passed its gate) or promoted into <env> through a gate that passed. --to naming the image the
environment already runs is refused (pin holds an environment where it is).`,
  positionals: [{ name: 'env', help: 'the environment to roll back' }],
  options: {
    to: {
      type: 'string',
      value: '<ref>',
      help: 'an image (<repository>:<tag>[@sha256:…] or <tag>[@sha256:…]) or a commit whose file holds it',
    },
    reason: { ...REASON_OPTION, help: 'the pin\'s reason (default: "rollback from <current> to <target>")' },
    ...WRITE_OPTIONS,
  },
  exitCodes:
    '0 done or already there, 1 refused (no verified earlier image, already at --to, policy), 2 usage error',
  examples: [
    'npm run rollback -- prod --reason "incident 42: 5xx after 0.3.1" --commit --push',
    'npm run rollback -- staging --to 0.2.0@sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae',
    'npm run rollback -- dev --to 4f2a9c1 --commit',
  ],
  async run({ values: v, positionals }, ctx) {
    const env = envArg(positionals[0]);
    const reason = reasonFlag(v.reason);
    const flags = writeFlags(v);
    const repo = openRepository(ctx.cwd);
    const git = repo.git();
    const now = ctx.now?.() ?? new Date();
    let choice: RollbackChoice | undefined;
    const result = await applyChange(
      repo.workspace(),
      flags.commit ? git : undefined,
      async (s) =>
        planRollback(
          { env, ...(v.to ? { to: v.to } : {}), ...(reason ? { reason } : {}) },
          git,
          now,
          s,
          (c) => {
            choice = c;
          },
        ),
      { ...flags, log: (line) => ctx.io.err(`rollback: ${line}`) },
    );
    printApply(ctx.io, flags.json, 'rollback', result, {
      environment: env,
      ...(choice ? { image: formatImage(choice.image), evidence: choice.evidence } : {}),
    });
    return 0;
  },
});
