// The rendered tree: what synth renders and dist/ holds, as one name for everyone who passes it around
// (render, the ops commands' diffs and writes, status and verify reading dist/).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The files of one output folder: file name → content. */
export type FolderFiles = ReadonlyMap<string, string>;

/** Output folders (below dist/, e.g. `dev`, `argocd`) → their files. */
export type RenderedTree = ReadonlyMap<string, FolderFiles>;

/** The files of one output folder as on disk now, in name order; undefined when the folder does not exist. */
export function readFolder(dir: string): FolderFiles | undefined {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return undefined;
  }
  const out = new Map<string, string>();
  for (const name of names) {
    const path = join(dir, name);
    if (statSync(path).isFile()) out.set(name, readFileSync(path, 'utf8'));
  }
  return out;
}
