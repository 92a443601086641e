import { applyChange } from '../apply';
import { usageError } from '../errors';
import { planPin, planUnpin } from '../pin';
import { envArg, parse, reasonFlag, WRITE_OPTIONS, writeFlags } from './args';
import type { OpsContext } from './context';
import { printApply } from './output';

export const PIN_HELP = `usage: npm run pin -- <env> --reason "<text>" [--commit] [--push [--retries N]] [--json]

Pins an environment at its current image: writes pin: { reason, since } into environments/<env>.yaml.
While pinned, bump and promote into it refuse (bump only with --force --reason). unpin removes the pin.

Exit codes: 0 pinned or already pinned, 1 refused, 2 usage error.

examples:
  npm run pin -- prod --reason "incident 42: hold 0.3.1 until the fix"
  npm run pin -- prod --reason "release freeze" --commit --push`;

export const UNPIN_HELP = `usage: npm run unpin -- <env> [--commit] [--push [--retries N]] [--json]

Removes the pin from environments/<env>.yaml, so bump and promote may change its image again.

Exit codes: 0 unpinned or not pinned, 1 refused, 2 usage error.

examples:
  npm run unpin -- prod
  npm run unpin -- prod --commit --push`;

/** `pin <env> --reason "<text>" …` */
export async function pinCommand(argv: readonly string[], ctx: OpsContext): Promise<number> {
  const args = parse(argv, { ...WRITE_OPTIONS, reason: { type: 'string' } }, ['env']);
  if (args.help) {
    ctx.io.out(PIN_HELP);
    return 0;
  }
  const env = envArg(args.positionals[0]);
  if (typeof args.values.reason !== 'string') {
    throw usageError(
      '--reason: is required (why the environment is pinned; recorded in the file and the trailers)',
    );
  }
  const reason = reasonFlag(args.values) as string;
  const flags = writeFlags(args.values);
  const now = ctx.now();
  const result = await applyChange(
    ctx.workspace(),
    flags.commit ? ctx.git() : undefined,
    async (s) => planPin(env, reason, now, s),
    {
      ...flags,
      log: (line) => ctx.io.err(`pin: ${line}`),
    },
  );
  printApply(ctx.io, flags.json, 'pin', result, { environment: env, reason });
  return 0;
}

/** `unpin <env> …` */
export async function unpinCommand(argv: readonly string[], ctx: OpsContext): Promise<number> {
  const args = parse(argv, WRITE_OPTIONS, ['env']);
  if (args.help) {
    ctx.io.out(UNPIN_HELP);
    return 0;
  }
  const env = envArg(args.positionals[0]);
  const flags = writeFlags(args.values);
  const result = await applyChange(
    ctx.workspace(),
    flags.commit ? ctx.git() : undefined,
    async (s) => planUnpin(env, s),
    {
      ...flags,
      log: (line) => ctx.io.err(`unpin: ${line}`),
    },
  );
  printApply(ctx.io, flags.json, 'unpin', result, { environment: env });
  return 0;
}
