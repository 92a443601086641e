/** `bump <env> --tag <tag> [--digest …]`: set an environment's image, re-render, optionally commit and push. */
import { usageError } from '../../errors';
import { applyChange } from '../../ops/changes/apply';
import { planBump } from '../../ops/changes/bump';
import { checkDigest, checkTag } from '../../ops/changes/image-flags';
import { defineCommand } from '../command';
import { printApply } from './apply-output';
import { openRepository } from './repository';
import { envArg, REASON_OPTION, reasonFlag, WRITE_OPTIONS, writeFlags } from './write-options';

export const bumpCommand = defineCommand({
  name: 'bump',
  summary: 'set an environment image (policy-checked), re-render, optionally commit and push',
  synopsis:
    '<env> --tag <tag> [--digest sha256:<64 hex>] [--force --reason "<text>"] [--commit] [--push [--retries N]] [--json]',
  description: `Sets environments/<env>.yaml's image (only image.tag / image.digest change, byte for byte), re-renders
dist/<env> through every synth gate, and with --commit commits exactly those files with trailers.`,
  positionals: [{ name: 'env', help: 'the environment to change' }],
  options: {
    tag: {
      type: 'string',
      value: '<tag>',
      help: 'the new image tag; checked against the imagePolicy (never "latest")',
    },
    digest: {
      type: 'string',
      value: '<digest>',
      help: 'sha256:<64 lowercase hex>; required where imagePolicy.requireDigest is true',
    },
    force: {
      type: 'boolean',
      help: 'bump a pinned environment anyway (needs --reason, recorded in the trailers)',
    },
    reason: REASON_OPTION,
    ...WRITE_OPTIONS,
  },
  exitCodes: '0 done or already at that image, 1 refused or failed check, 2 usage error',
  examples: [
    'npm run bump -- dev --tag 0.2.0',
    'npm run bump -- staging --tag 0.2.0 --digest sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae --commit',
    'npm run bump -- dev --tag sha-4f2a9c1 --commit --push --retries 5 --json',
    'npm run bump -- prod --tag 0.2.1 --digest sha256:… --force --reason "hotfix for incident 42"',
  ],
  async run({ values: v, positionals }, ctx) {
    const env = envArg(positionals[0]);
    if (v.tag === undefined) throw usageError('--tag: is required (the new image tag)');
    const tag = checkTag(v.tag);
    const digest = v.digest !== undefined ? checkDigest(v.digest) : undefined;
    const force = v.force === true;
    const reason = reasonFlag(v.reason, force ? '--force' : undefined);
    const flags = writeFlags(v);
    const repo = openRepository(ctx.cwd);
    const ws = repo.workspace();
    const result = await applyChange(
      ws,
      flags.commit ? repo.git() : undefined,
      async (snapshot) =>
        planBump({ env, tag, force, ...(digest ? { digest } : {}), ...(reason ? { reason } : {}) }, snapshot),
      { ...flags, log: (line) => ctx.io.err(`bump: ${line}`) },
    );
    printApply(ctx.io, flags.json, 'bump', result, { environment: env, tag, ...(digest ? { digest } : {}) });
    return 0;
  },
});
