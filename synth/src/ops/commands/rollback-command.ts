import { formatImage } from '../../domain/image-ref';
import { applyChange } from '../apply';
import { planRollback, type RollbackChoice } from '../rollback';
import { envArg, parse, reasonFlag, WRITE_OPTIONS, writeFlags } from './args';
import type { OpsContext } from './context';
import { printApply } from './output';

export const ROLLBACK_HELP = `usage: npm run rollback -- <env> [--to <image or commit>] [--reason "<text>"]
                            [--commit] [--push [--retries N]] [--json]

Restores an earlier image in environments/<env>.yaml and pins the environment, so no bump or promotion
moves it forward again until unpin. Without --to it picks, from the commit trailers, the newest image the
environment held before the current one that passed verification: verified live in <env> (a promotion out
of it passed its gate) or promoted into <env> through a gate that passed.

  --to <ref>         an image (<repository>:<tag>[@sha256:…] or <tag>[@sha256:…]) or a commit id whose
                     environments/<env>.yaml holds the image
  --reason "<text>"  the pin's reason (default: "rollback from <current> to <target>")

Exit codes: 0 done or already there, 1 refused (no verified earlier image, policy), 2 usage error.

examples:
  npm run rollback -- prod --reason "incident 42: 5xx after 0.3.1" --commit --push
  npm run rollback -- staging --to 0.2.0@sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae
  npm run rollback -- dev --to 4f2a9c1 --commit`;

/** `rollback <env> [--to …] [--reason …] …` */
export async function rollbackCommand(argv: readonly string[], ctx: OpsContext): Promise<number> {
  const args = parse(argv, { ...WRITE_OPTIONS, to: { type: 'string' }, reason: { type: 'string' } }, ['env']);
  if (args.help) {
    ctx.io.out(ROLLBACK_HELP);
    return 0;
  }
  const env = envArg(args.positionals[0]);
  const reason = reasonFlag(args.values);
  const to = typeof args.values.to === 'string' ? args.values.to : undefined;
  const flags = writeFlags(args.values);
  const git = ctx.git();
  const now = ctx.now();
  let choice: RollbackChoice | undefined;
  const result = await applyChange(
    ctx.workspace(),
    flags.commit ? git : undefined,
    async (s) =>
      planRollback({ env, ...(to ? { to } : {}), ...(reason ? { reason } : {}) }, git, now, s, (c) => {
        choice = c;
      }),
    { ...flags, log: (line) => ctx.io.err(`rollback: ${line}`) },
  );
  printApply(ctx.io, flags.json, 'rollback', result, {
    environment: env,
    ...(choice ? { image: formatImage(choice.image), evidence: choice.evidence } : {}),
  });
  return 0;
}
