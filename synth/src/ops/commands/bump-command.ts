import { applyChange } from '../apply';
import { planBump } from '../bump';
import { usageError } from '../errors';
import { checkDigest, checkTag } from '../image-flags';
import { envArg, parse, reasonFlag, WRITE_OPTIONS, writeFlags } from './args';
import type { OpsContext } from './context';
import { printApply } from './output';

export const BUMP_HELP = `usage: npm run bump -- <env> --tag <tag> [--digest sha256:<64 hex>] [--force --reason "<text>"]
                        [--commit] [--push [--retries N]] [--json]

Sets environments/<env>.yaml's image (only image.tag / image.digest change, byte for byte), re-renders
dist/<env> through every synth gate, and with --commit commits exactly those files with trailers.

  --tag <tag>          the new image tag; checked against the environment's imagePolicy (never "latest")
  --digest <digest>    sha256:<64 lowercase hex>; required where imagePolicy.requireDigest is true
  --force --reason     bump a pinned environment anyway; the reason goes into the trailers
  --commit             commit exactly the changed files (refused if they have uncommitted edits)
  --push               push the commit; a non-fast-forward re-applies the bump on the new head
  --retries N          push attempts after a rejection (default 3)
  --json               print the result as JSON

Exit codes: 0 done or already at that image, 1 refused or failed check, 2 usage error.

examples:
  npm run bump -- dev --tag 0.2.0
  npm run bump -- staging --tag 0.2.0 --digest sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae --commit
  npm run bump -- dev --tag sha-4f2a9c1 --commit --push --retries 5 --json
  npm run bump -- prod --tag 0.2.1 --digest sha256:… --force --reason "hotfix for incident 42"`;

/** `bump <env> --tag <tag> [--digest …] [--force --reason …] [--commit] [--push [--retries N]] [--json]` */
export async function bumpCommand(argv: readonly string[], ctx: OpsContext): Promise<number> {
  const args = parse(
    argv,
    {
      ...WRITE_OPTIONS,
      tag: { type: 'string' },
      digest: { type: 'string' },
      force: { type: 'boolean' },
      reason: { type: 'string' },
    },
    ['env'],
  );
  if (args.help) {
    ctx.io.out(BUMP_HELP);
    return 0;
  }
  const env = envArg(args.positionals[0]);
  const v = args.values;
  if (typeof v.tag !== 'string') throw usageError('--tag: is required (the new image tag)');
  const tag = checkTag(v.tag);
  const digest = typeof v.digest === 'string' ? checkDigest(v.digest) : undefined;
  const force = v.force === true;
  const reason = reasonFlag(v, force ? '--force' : undefined);
  const flags = writeFlags(v);
  const ws = ctx.workspace();
  const git = flags.commit ? ctx.git() : undefined;
  const result = await applyChange(
    ws,
    git,
    async (snapshot) =>
      planBump({ env, tag, force, ...(digest ? { digest } : {}), ...(reason ? { reason } : {}) }, snapshot),
    { ...flags, log: (line) => ctx.io.err(`bump: ${line}`) },
  );
  printApply(ctx.io, flags.json, 'bump', result, { environment: env, tag, ...(digest ? { digest } : {}) });
  return 0;
}
