// Asks Argo CD's upstream two questions, never more: which commit a release tag names (`git ls-remote`, the
// annotated tag peeled to its commit), and what `manifests/install.yaml` holds at that commit (one HTTP GET).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { refused } from '../errors';

/** What a release tag names upstream. */
export interface ResolvedTag {
  /** The commit (an annotated tag is peeled to the commit it tags). */
  readonly commit: string;
  /** True for an annotated tag (a tag object), false for a lightweight one. */
  readonly annotated: boolean;
}

/** Never prompt (credentials): no one answers in CI. */
const GIT_ENV = { GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: 'true' } as const;

/**
 * The commit `tag` names at `upstream`: `git ls-remote <upstream> refs/tags/<tag> refs/tags/<tag>^{}`. The
 * peeled line (`^{}`) is the commit of an annotated tag; a lightweight tag has only the first. Refuses a tag the
 * upstream does not have, and a failed ls-remote (with git's own first error line).
 */
export function resolveTag(upstream: string, tag: string, timeoutMs = 60_000): ResolvedTag {
  const result = spawnSync('git', ['ls-remote', upstream, `refs/tags/${tag}`, `refs/tags/${tag}^{}`], {
    encoding: 'utf8',
    env: { ...process.env, ...GIT_ENV },
    timeout: timeoutMs,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.error) throw refused(`git ls-remote could not run: ${result.error.message}`);
  if (result.status !== 0) {
    const line = result.stderr.split('\n').find((l) => l.trim() !== '') ?? `exit ${result.status}`;
    throw refused(`git ls-remote ${upstream} failed: ${line.trim()}`);
  }
  const refs = new Map<string, string>();
  for (const line of result.stdout.split('\n')) {
    const [sha, ref] = line.trim().split(/\s+/);
    if (sha && ref) refs.set(ref, sha);
  }
  const direct = refs.get(`refs/tags/${tag}`);
  const peeled = refs.get(`refs/tags/${tag}^{}`);
  const commit = peeled ?? direct;
  if (commit === undefined) throw refused(`${upstream} has no tag ${tag} (git ls-remote found none)`);
  if (!/^[0-9a-f]{40}$/.test(commit)) {
    throw refused(`git ls-remote ${upstream} answered ${JSON.stringify(commit)} for ${tag}: not a commit id`);
  }
  return { commit, annotated: peeled !== undefined };
}

/** A fetched file: its text and the sha256 of its bytes (for the record). */
export interface Fetched {
  readonly text: string;
  readonly sha256: string;
}

/** GETs `url` (following redirects); refuses any answer but 200, and a timeout, naming the URL. */
export async function fetchText(url: string, timeoutMs = 60_000): Promise<Fetched> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw refused(`GET ${url} failed: ${reasonOf(error)}`);
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    throw refused(`GET ${url} answered ${response.status} ${response.statusText}`.trim());
  }
  const bytes = Buffer.from(await response.arrayBuffer());
  return { text: bytes.toString('utf8'), sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** One line of why a fetch failed: its cause's message when it has one (ECONNREFUSED, a timeout). */
export function reasonOf(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { message?: string; code?: string } };
  if (e?.name === 'TimeoutError') return 'timed out';
  return (e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(error)).split('\n')[0] ?? 'unknown';
}
