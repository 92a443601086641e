import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StaticAssets } from './routes/static-page';

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
  const [indexHtml, appJs, appCss] = await Promise.all(
    ['index.html', 'app.js', 'app.css'].map((f) => readOptional(join(dir, f))),
  );
  return {
    ...(indexHtml === undefined ? {} : { indexHtml }),
    ...(appJs === undefined ? {} : { appJs }),
    ...(appCss === undefined ? {} : { appCss }),
  };
}
