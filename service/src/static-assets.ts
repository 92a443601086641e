// Reads the web page's files from disk once at start, for the static routes to serve from memory.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { STATIC_FILES, type StaticAssets } from './routes/static-page';

async function readOptional(path: string): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Reads the page's files from `dir` once; missing files stay undefined (served as 404). */
export async function loadStaticAssets(dir: string): Promise<StaticAssets> {
  const entries = await Promise.all(
    STATIC_FILES.map(async ([key, file]) => [key, await readOptional(join(dir, file))] as const),
  );
  return Object.fromEntries(entries.filter(([, content]) => content !== undefined)) as StaticAssets;
}
