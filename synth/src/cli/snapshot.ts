/**
 * The synth CLI's start-up snapshot: when Node builds one from the bundle (`node --build-snapshot`, run by
 * synth/scripts/build.mjs), this warms the bundle up and registers the function a started snapshot runs.
 *
 * Why: most of a short run is start-up, not work. Loading the bundle (zod schemas, cdk8s, the validators) and
 * the first render (zod's and the validators' generated code, V8 compiling every function once) cost more than
 * the render itself. A snapshot holds the heap after one warm-up render, so `npm run synth` starts from there.
 *
 * What must not leak from build time into a run: the warm-up uses its own context (output discarded, an empty
 * environment, a temporary working folder holding a copy of environments/ and argocd/), and nothing in synth/src reads
 * `process.env`, the working folder or the clock while modules load; libraries that do (the Kubernetes
 * client's `debug`) are loaded only by the commands that use them, which the warm-up does not run.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import type { CliContext } from './command';

type Run = (argv: readonly string[], context?: CliContext) => Promise<number>;

/** True while `node --build-snapshot` runs the bundle (never in a normal run). */
// (Node 24 returns 1 rather than true: read it as truthy.)
export const buildingSnapshot = (): boolean => Boolean(v8.startupSnapshot?.isBuildingSnapshot?.());

/**
 * Renders a copy of the environments (and argocd/ settings) of `root` into a temporary folder, checks it there
 * and bumps one environment of the copy, silently: every module and generated validator of the render path and
 * of bump is then loaded and compiled in the snapshot's heap. The copy matters: a render also rewrites
 * `environments/schema.json` when it is stale, and building the CLI must never touch the checkout (a stale
 * schema would then pass the `--check` that follows). A failure (a broken
 * environment file while building) only leaves the snapshot colder; it is never reported as the user's,
 * because the run that follows reads the files again.
 */
async function warmUp(run: Run, root: string): Promise<void> {
  const work = mkdtempSync(join(os.tmpdir(), 'synth-snapshot-'));
  const context: CliContext = { io: { out: () => {}, err: () => {} }, env: {}, cwd: work, home: work };
  try {
    // environments/ and argocd/ (the repository setting, read from the environments folder's parent).
    for (const dir of ['environments', 'argocd']) {
      cpSync(join(root, dir), join(work, dir), { recursive: true });
    }
    const args = ['--environments', join(work, 'environments'), '--out', join(work, 'dist')];
    await run(args, context);
    await run([...args, '--check'], context);
    // bump, the command CI runs on every build: its edit of an environment file and its git checks. It needs a
    // git working tree; without git on the machine this step fails and only bump starts colder.
    const env = readdirSync(join(work, 'environments')).find((f) => /^[a-z0-9-]+\.ya?ml$/.test(f));
    if (env !== undefined) {
      execFileSync('git', ['init', '--quiet'], { cwd: work, stdio: 'ignore' });
      await run(['bump', env.replace(/\.ya?ml$/, ''), '--tag', '0.0.0-snapshot'], context);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Registers the snapshot's main function (the CLI on `process.argv`, as the launcher runs it) and starts the
 * warm-up; Node writes the snapshot when the warm-up's promise has settled and the event loop is empty.
 * `root` is the repository the snapshot is built in (the build passes it as the only argument).
 */
export function prepareSnapshot(run: Run, root: string): void {
  v8.startupSnapshot.setDeserializeMainFunction(async () => {
    // `node --snapshot-blob <blob> -- <args>`: argv is [node, ...args].
    process.exitCode = await run(process.argv.slice(1));
  });
  warmUp(run, root).catch(() => {});
}
