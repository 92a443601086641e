/** `env new <name> --from <env>` and `env remove <name>`: create or delete a (personal) environment. */
import { RESERVED_NAMES } from '../../config';
import { usageError } from '../../errors';
import { applyChange } from '../../ops/changes/apply';
import { planEnvNew } from '../../ops/changes/env-new';
import { planEnvRemove } from '../../ops/changes/env-remove';
import { defineCommand } from '../command';
import { printApply } from './apply-output';
import { openRepository } from './repository';
import { envArg, REASON_OPTION, reasonFlag, WRITE_OPTIONS, writeFlags } from './write-options';

export const envCommand = defineCommand({
  name: 'env',
  summary: 'env new <name> --from <env> / env remove <name>',
  synopsis:
    'new <name> --from <env> | remove <name> [--force --reason "<text>"] [--commit] [--push [--retries N]] [--json]',
  description: `new     creates environments/<name>.yaml from <env>'s file (a personal or preview environment): same settings
        and image, its own name, namespace (guestlist-<name>), table (GuestList-<name>) and ingress host, no
        promotion source, no pin, not protected. Renders dist/<name>/ and its Argo CD Application in
        dist/argocd/; once merged, Argo CD deploys it with no other step (the guestlist project already
        allows guestlist-* on that cluster; only a new cluster or kind changes the project).
remove  deletes environments/<name>.yaml, dist/<name>/ and its Argo CD Application. No
        Application has a deletion finalizer, so the objects already running in the namespace stay until
        deleted on purpose. Protected environments need --force --reason.`,
  positionals: [
    { name: 'action', help: 'new or remove', choices: ['new', 'remove'] },
    { name: 'name', help: 'the environment to create or remove' },
  ],
  options: {
    from: { type: 'string', value: '<env>', help: 'new: the environment to copy (required)' },
    force: { type: 'boolean', help: 'remove: a protected environment (needs --reason)' },
    reason: REASON_OPTION,
    ...WRITE_OPTIONS,
  },
  exitCodes: '0 done, 1 refused (exists, protected, another environment is promoted from it), 2 usage error',
  examples: [
    'npm run env -- new alice --from dev',
    'npm run env -- new pr-123 --from dev --commit --push',
    'npm run env -- remove alice --commit',
    'npm run env -- remove staging --force --reason "replaced by staging2" --commit',
  ],
  async run({ values: v, positionals }, ctx) {
    const [action] = positionals;
    const flags = writeFlags(v);
    const repo = openRepository(ctx.cwd);
    const git = () => (flags.commit ? repo.git() : undefined);
    if (action === 'new') {
      if (v.force !== undefined || v.reason !== undefined) {
        throw usageError(`--${v.force !== undefined ? 'force' : 'reason'}: only applies to env remove`);
      }
      const name = envArg(positionals[1], 'new environment');
      if (RESERVED_NAMES.has(name)) {
        throw usageError(`new environment "${name}": reserved for dist/${name}/; pick another name`);
      }
      if (v.from === undefined) throw usageError('--from: is required (the environment to copy)');
      const from = envArg(v.from, '--from');
      const result = await applyChange(repo.workspace(), git(), async (s) => planEnvNew(name, from, s), {
        ...flags,
        log: (line) => ctx.io.err(`env new: ${line}`),
      });
      printApply(ctx.io, flags.json, 'env new', result, { environment: name, from });
      return 0;
    }
    if (v.from !== undefined) throw usageError('--from: only applies to env new');
    const name = envArg(positionals[1]);
    const force = v.force === true;
    const reason = reasonFlag(v.reason, force ? '--force' : undefined);
    const result = await applyChange(
      repo.workspace(),
      git(),
      async (s) => planEnvRemove({ name, force, ...(reason ? { reason } : {}) }, s),
      { ...flags, log: (line) => ctx.io.err(`env remove: ${line}`) },
    );
    printApply(ctx.io, flags.json, 'env remove', result, { environment: name });
    return 0;
  },
});
