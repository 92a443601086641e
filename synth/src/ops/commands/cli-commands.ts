import type { CliContext, Command } from '../../cli/command';
import { Git } from '../../domain/git';
import { repoWorkspace } from '../repo-workspace';
import { BUMP_HELP } from './bump-command';
import type { OpsContext } from './context';
import { DIFF_HELP } from './diff-command';
import { ENV_HELP } from './env-command';
import { HISTORY_HELP } from './history-command';
import { PIN_HELP, UNPIN_HELP } from './pin-command';
import { PROMOTE_HELP } from './promote-command';
import { ROLLBACK_HELP } from './rollback-command';
import { type OpsCommand, runOps } from './run-ops';

const SUMMARIES: Record<OpsCommand, [string, string]> = {
  bump: ['set an environment image (policy-checked), re-render, optionally commit and push', BUMP_HELP],
  promote: ['copy the image of <from> into <to> along the chain, gated on verify <from>', PROMOTE_HELP],
  pin: ['pin an environment at its image (bump and promote refuse it)', PIN_HELP],
  unpin: ['remove the pin', UNPIN_HELP],
  rollback: ['restore the last verified earlier image (or --to) and pin', ROLLBACK_HELP],
  history: ['the image timeline of an environment from git and the commit trailers', HISTORY_HELP],
  diff: ['semantic diff of rendered objects against a git ref, risky changes first', DIFF_HELP],
  env: ['env new <name> --from <env> / env remove <name>', ENV_HELP],
};

/** The context of an ops command run from the synth CLI: the repository around the working directory. */
export function cliOpsContext(context: CliContext): OpsContext {
  let root: string | undefined;
  const repoRoot = () => {
    root ??= Git.open(context.cwd).root;
    return root;
  };
  return {
    io: context.io,
    workspace: () => repoWorkspace(repoRoot()),
    git: () => Git.open(repoRoot()),
    // Loaded on use: the gate brings @kubernetes/client-node, which no other command needs at start-up.
    gate: (options) => async (env, image) => {
      const { clusterGate } = await import('../cluster-gate');
      return clusterGate({ root: repoRoot(), env: context.env, ...options })(env, image);
    },
    now: () => new Date(),
  };
}

/** The ops commands as entries of the synth CLI's command table. */
export function opsCommands(): Command[] {
  return (Object.keys(SUMMARIES) as OpsCommand[]).map((name) => ({
    name,
    summary: (SUMMARIES[name] as [string, string])[0],
    usage: (SUMMARIES[name] as [string, string])[1],
    run: (args, context) => runOps(name, args, cliOpsContext(context)),
  }));
}
