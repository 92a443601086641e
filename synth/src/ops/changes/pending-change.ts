// Finds a command's change already made in the working tree but not committed (the same command run
// earlier without --commit), so `--commit` commits it instead of answering "nothing changed".

import type { Git } from '../../domain/git';
import type { ChangePlan, Plan, Snapshot } from './plan';
import type { Workspace } from './workspace';

/**
 * The plan whose change the working tree holds uncommitted: the command is planned again on the environment
 * files as HEAD has them, and its files must equal the working tree's exactly. So nothing but this command's
 * own edit is committed from those files (someone's other uncommitted edit in the same file makes the texts
 * differ, and the command answers "already" as before). Undefined when there is no such change; costs one
 * `git status` when no environment file is modified.
 */
export async function pendingChange(
  ws: Workspace,
  git: Git,
  texts: ReadonlyMap<string, string>,
  plan: (snapshot: Snapshot) => Promise<Plan>,
): Promise<ChangePlan | undefined> {
  const prefix = `${ws.environmentsDir}/`;
  const dirty = git
    .dirtyPaths([ws.environmentsDir])
    .filter((path) => path.startsWith(prefix) && !path.slice(prefix.length).includes('/'));
  if (dirty.length === 0) return undefined;
  const atHead = new Map(texts);
  for (const path of dirty) {
    const file = path.slice(prefix.length);
    const committed = git.tryRun(['show', `HEAD:${path}`]);
    if (committed.status === 0) atHead.set(file, committed.stdout);
    else atHead.delete(file); // new since HEAD
  }
  let decision: Plan;
  try {
    decision = await plan({ texts: atHead, envs: ws.load(atHead) });
  } catch {
    return undefined; // the command cannot be planned on HEAD's files: it is not what the tree holds
  }
  if (decision.kind !== 'change') return undefined;
  for (const [file, text] of decision.files) {
    if ((texts.get(file) ?? null) !== text) return undefined;
  }
  return decision;
}
