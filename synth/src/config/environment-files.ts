// Finds the environment files in a folder (`<env>.yaml` or `<env>.yml`) and reports an environment defined by
// two files.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** One environment file: its file name and the environment name it defines (the file name without extension). */
export interface EnvironmentFileEntry {
  readonly file: string;
  readonly name: string;
}

/** Environment file names end in `.yaml` or `.yml`; both are read the same way everywhere. */
export const ENVIRONMENT_FILE = /^(.+)\.ya?ml$/;

/**
 * The environment files among the names of a folder's entries (sorted), plus one error per environment
 * defined by two files (`alice.yaml` and `alice.yml`), as `<shownDir>/<file>:1:1 (file): <message>`.
 * `overrides` adds files (text) and removes them (`null`) as `loadEnvironments` does.
 */
export function environmentFiles(
  entries: readonly string[],
  shownDir: string,
  overrides?: ReadonlyMap<string, string | null>,
): { files: EnvironmentFileEntry[]; errors: string[] } {
  const names = new Set(entries);
  for (const [file, text] of overrides ?? []) {
    if (text === null) names.delete(file);
    else names.add(file);
  }
  const files: EnvironmentFileEntry[] = [];
  const errors: string[] = [];
  const byName = new Map<string, string>();
  for (const file of [...names].sort()) {
    const name = ENVIRONMENT_FILE.exec(file)?.[1];
    if (name === undefined) continue;
    const first = byName.get(name);
    if (first !== undefined) {
      errors.push(
        `${shownDir}/${file}:1:1 (file): environment "${name}" is defined twice, by ${shownDir}/${first} and ${shownDir}/${file}; keep one of the two files`,
      );
      continue;
    }
    byName.set(name, file);
    files.push({ file, name });
  }
  return { files, errors };
}

/** Path of the file that defines environment `name` in folder `dir` (`<name>.yaml` or `<name>.yml`), or undefined. */
export function findEnvironmentFile(dir: string, name: string): string | undefined {
  const file = readdirSync(dir).find((f) => f === `${name}.yaml` || f === `${name}.yml`);
  return file === undefined ? undefined : join(dir, file);
}
