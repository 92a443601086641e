// Reads the rendered files of `dist/` that differ between a git ref and the working tree, cheaply, for the
// diff.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Git } from '../../domain/git';
import type { RenderedTree } from '../../domain/rendered-tree';
import { usageError } from '../errors';

const isYaml = (name: string) => name.endsWith('.yaml');

/** The git blob id of some content (what `git hash-object` prints), to compare without reading the blob. */
function blobId(content: string): string {
  const body = Buffer.from(content, 'utf8');
  return createHash('sha1').update(`blob ${body.length}\0`).update(body).digest('hex');
}

/** Contents of many blobs with one `git cat-file --batch` (object id or `<ref>:<path>` → content or undefined). */
export function readBlobs(git: Git, specs: readonly string[]): (string | undefined)[] {
  if (specs.length === 0) return [];
  const out = git.run(['cat-file', '--batch'], specs.map((s) => `${s}\n`).join(''));
  const buffer = Buffer.from(out, 'utf8');
  const contents: (string | undefined)[] = [];
  let at = 0;
  for (let i = 0; i < specs.length; i++) {
    const eol = buffer.indexOf(10, at);
    const header = buffer.subarray(at, eol).toString('utf8');
    at = eol + 1;
    const match = /^[0-9a-f]+ blob (\d+)$/.exec(header);
    if (!match) {
      contents.push(undefined);
      continue;
    }
    const size = Number(match[1]);
    contents.push(buffer.subarray(at, at + size).toString('utf8'));
    at += size + 1;
  }
  return contents;
}

/** Runs a git command that names `base`; an unknown base is a usage error naming it (no separate check). */
function atBase(git: Git, base: string, args: readonly string[]): string {
  const result = git.tryRun(args);
  if (result.status === 0) return result.stdout;
  if (
    /bad revision|unknown revision|not a valid object name|not a tree object|bad object/i.test(result.stderr)
  ) {
    throw usageError(`--base ${JSON.stringify(base)}: not a commit in this repository`);
  }
  return git.run(args); // any other failure: git's own first line
}

/** The pair of trees to diff, holding only the files that differ between the two sides. */
export interface DistPair {
  readonly before: RenderedTree;
  readonly after: RenderedTree;
}

function add(tree: Map<string, Map<string, string>>, folder: string, file: string, content: string): void {
  let files = tree.get(folder);
  if (!files) {
    files = new Map();
    tree.set(folder, files);
  }
  files.set(file, content);
}

/** Splits `dist/<folder>/<file>` (only one level of folders holds rendered files). */
function split(distDir: string, path: string): [string, string] | undefined {
  const rest = path.slice(distDir.length + 1).split('/');
  return rest.length === 2 && isYaml(rest[1] as string) ? [rest[0] as string, rest[1] as string] : undefined;
}

/**
 * The files of `dist/` that differ between `base` and the working tree, read cheaply: git lists the changed
 * paths (its index knows which files are untouched), `untracked` adds new files (from `git status`), and
 * only those are read, the base side from one cat-file process.
 */
export function changedDistFiles(
  git: Git,
  base: string,
  distDir: string,
  untracked: readonly string[],
  folders?: ReadonlySet<string>,
): DistPair {
  const listed = atBase(git, base, ['diff', '--name-only', '--no-renames', '-z', base, '--', distDir]).split(
    '\0',
  );
  const paths = [...new Set([...listed, ...untracked])].filter((p) => {
    const parts = p !== '' ? split(distDir, p) : undefined;
    return parts !== undefined && (!folders || folders.has(parts[0]));
  });
  const baseContents = readBlobs(
    git,
    paths.map((p) => `${base}:${p}`),
  );
  const before = new Map<string, Map<string, string>>();
  const after = new Map<string, Map<string, string>>();
  paths.forEach((path, i) => {
    const [folder, file] = split(distDir, path) as [string, string];
    const old = baseContents[i];
    if (old !== undefined) add(before, folder, file, old);
    const full = join(git.root, path);
    if (existsSync(full)) add(after, folder, file, readFileSync(full, 'utf8'));
  });
  return { before, after };
}

/**
 * The files of `dist/` at `base` that differ from a freshly rendered tree (the whole output, or `folders`):
 * blob ids from `git ls-tree` are compared with the rendered content's ids, and only differing blobs are read.
 */
export function changedAgainstRendered(
  git: Git,
  base: string,
  distDir: string,
  rendered: RenderedTree,
  folders?: ReadonlySet<string>,
): DistPair {
  const listing = atBase(git, base, ['ls-tree', '-r', '-z', '--full-tree', base, '--', `${distDir}/`]).split(
    '\0',
  );
  const baseIds = new Map<string, string>();
  for (const line of listing) {
    const match = /^\d+ blob ([0-9a-f]+)\t(.+)$/.exec(line);
    if (match) baseIds.set(match[2] as string, match[1] as string);
  }
  const before = new Map<string, Map<string, string>>();
  const after = new Map<string, Map<string, string>>();
  const toRead: string[] = [];
  const seen = new Set<string>();
  for (const [folder, files] of rendered) {
    if (folders && !folders.has(folder)) continue;
    for (const [file, content] of files) {
      const path = `${distDir}/${folder}/${file}`;
      seen.add(path);
      if (baseIds.get(path) === blobId(content)) continue;
      add(after, folder, file, content);
      if (baseIds.has(path)) toRead.push(path);
    }
  }
  for (const path of baseIds.keys()) {
    const parts = split(distDir, path);
    if (!parts || seen.has(path) || (folders && !folders.has(parts[0]))) continue;
    toRead.push(path);
  }
  const contents = readBlobs(
    git,
    toRead.map((p) => baseIds.get(p) as string),
  );
  toRead.forEach((path, i) => {
    const [folder, file] = split(distDir, path) as [string, string];
    add(before, folder, file, contents[i] as string);
  });
  return { before, after };
}
