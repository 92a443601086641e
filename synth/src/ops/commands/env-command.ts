import { applyChange } from '../apply';
import { planEnvNew } from '../env-new';
import { planEnvRemove } from '../env-remove';
import { usageError } from '../errors';
import { envArg, parse, reasonFlag, WRITE_OPTIONS, writeFlags } from './args';
import type { OpsContext } from './context';
import { printApply } from './output';

export const ENV_HELP = `usage: npm run env -- new <name> --from <env> [--commit] [--push [--retries N]] [--json]
       npm run env -- remove <name> [--force --reason "<text>"] [--commit] [--push [--retries N]] [--json]

new     creates environments/<name>.yaml from <env>'s file (a personal or preview environment): same settings
        and image, its own name, namespace (guestlist-<name>), table (GuestList-<name>) and ingress host, no
        promotion source, no pin, not protected. Renders dist/<name>/ and its Argo CD Application in
        dist/argocd/; once merged, Argo CD deploys it with no other step (the guestlist project already
        allows guestlist-* on that cluster; only a new cluster or kind changes the project).
remove  deletes environments/<name>.yaml, dist/<name>/ and its Argo CD Application. No
        Application has a deletion finalizer, so the objects already running in the namespace stay until
        deleted on purpose. Protected environments need --force --reason.

Exit codes: 0 done, 1 refused (exists, protected, another environment is promoted from it), 2 usage error.

examples:
  npm run env -- new alice --from dev
  npm run env -- new pr-123 --from dev --commit --push
  npm run env -- remove alice --commit
  npm run env -- remove staging --force --reason "replaced by staging2" --commit`;

/** `env new <name> --from <env> …` and `env remove <name> …` */
export async function envCommand(argv: readonly string[], ctx: OpsContext): Promise<number> {
  const [action, ...rest] = argv;
  if (action === '--help' || action === '-h') {
    ctx.io.out(ENV_HELP);
    return 0;
  }
  if (action === undefined) throw usageError('missing action (expected new or remove)');
  if (action === 'new') return envNew(rest, ctx);
  if (action === 'remove') return envRemove(rest, ctx);
  throw usageError(`env ${JSON.stringify(action)}: unknown action (expected new or remove)`);
}

async function envNew(argv: readonly string[], ctx: OpsContext): Promise<number> {
  const args = parse(argv, { ...WRITE_OPTIONS, from: { type: 'string' } }, ['name']);
  if (args.help) {
    ctx.io.out(ENV_HELP);
    return 0;
  }
  const name = envArg(args.positionals[0], 'new environment');
  if (typeof args.values.from !== 'string') throw usageError('--from: is required (the environment to copy)');
  const from = envArg(args.values.from, '--from');
  const flags = writeFlags(args.values);
  const result = await applyChange(
    ctx.workspace(),
    flags.commit ? ctx.git() : undefined,
    async (s) => planEnvNew(name, from, s),
    {
      ...flags,
      log: (line) => ctx.io.err(`env new: ${line}`),
    },
  );
  printApply(ctx.io, flags.json, 'env new', result, { environment: name, from });
  return 0;
}

async function envRemove(argv: readonly string[], ctx: OpsContext): Promise<number> {
  const args = parse(argv, { ...WRITE_OPTIONS, force: { type: 'boolean' }, reason: { type: 'string' } }, [
    'name',
  ]);
  if (args.help) {
    ctx.io.out(ENV_HELP);
    return 0;
  }
  const name = envArg(args.positionals[0]);
  const force = args.values.force === true;
  const reason = reasonFlag(args.values, force ? '--force' : undefined);
  const flags = writeFlags(args.values);
  const result = await applyChange(
    ctx.workspace(),
    flags.commit ? ctx.git() : undefined,
    async (s) => planEnvRemove({ name, force, ...(reason ? { reason } : {}) }, s),
    { ...flags, log: (line) => ctx.io.err(`env remove: ${line}`) },
  );
  printApply(ctx.io, flags.json, 'env remove', result, { environment: name });
  return 0;
}
