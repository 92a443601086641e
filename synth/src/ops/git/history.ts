// An environment's image history from git: each commit that changed its file, with what the ops trailers
// recorded.
import { parse } from 'yaml';
import { DEFAULTS } from '../../config';
import type { Git } from '../../domain/git';
import { formatImage, type TaggedImage } from '../../domain/image-ref';
import { readBlobs } from './dist-at-ref';
import { type OpsAction, parseTrailers } from './trailers';

/** One event in an environment's image timeline. */
export interface HistoryEntry {
  readonly commit: string;
  /** Committer date, ISO 8601. */
  readonly date: string;
  readonly subject: string;
  /** From the trailers; `manual` for a commit without them (a hand edit). */
  readonly action: OpsAction | 'manual';
  /** The image after this commit (absent when the file is gone or unreadable). */
  readonly image?: TaggedImage;
  readonly source?: string;
  readonly verified?: string;
  readonly verifiedRevision?: string;
  readonly reason?: string;
  readonly previousImage?: string;
  /** Whether the environment file holds a pin after this commit. */
  readonly pinned: boolean;
}

const FIELD = '\x1f';
const RECORD = '\x1e';
const FORMAT = `--format=%H${FIELD}%cI${FIELD}%s${FIELD}%(trailers:only,unfold)${RECORD}`;

interface LogRecord {
  readonly commit: string;
  readonly date: string;
  readonly subject: string;
  readonly trailers: ReturnType<typeof parseTrailers>;
}

/** Commits of `git log` with our format, newest first. */
function readLog(git: Git, args: readonly string[]): LogRecord[] {
  const out = git.run(['log', FORMAT, ...args]);
  return out
    .split(RECORD)
    .map((r) => r.replace(/^\n/, ''))
    .filter((r) => r !== '')
    .map((r) => {
      const [commit = '', date = '', subject = '', trailers = ''] = r.split(FIELD);
      return { commit, date, subject, trailers: parseTrailers(trailers) };
    });
}

/** The image and pin an environment file holds (undefined image when it cannot be read). */
export function imageOfFile(text: string | undefined): { image?: TaggedImage; pinned: boolean } {
  if (text === undefined) return { pinned: false };
  try {
    const data = parse(text) as { image?: Partial<TaggedImage>; pin?: unknown } | null;
    const tag = data?.image?.tag;
    if (typeof tag !== 'string') return { pinned: data?.pin !== undefined };
    const image: TaggedImage = {
      repository:
        typeof data?.image?.repository === 'string' ? data.image.repository : DEFAULTS.imageRepository,
      tag,
      ...(typeof data?.image?.digest === 'string' ? { digest: data.image.digest } : {}),
    };
    return { image, pinned: data?.pin !== undefined && data?.pin !== null };
  } catch {
    return { pinned: false };
  }
}

/**
 * The image timeline of one environment from git, newest first: every commit that changed the file's image
 * or pin, or that carries our trailers for it. Commits without trailers are `manual`.
 */
export function environmentHistory(git: Git, env: string, file = `environments/${env}.yaml`): HistoryEntry[] {
  const log = readLog(git, ['--', file]);
  const contents = readBlobs(
    git,
    log.map((l) => `${l.commit}:${file}`),
  );
  const entries: HistoryEntry[] = [];
  let previous: { image?: TaggedImage; pinned: boolean } = { pinned: false };
  for (let i = log.length - 1; i >= 0; i--) {
    const record = log[i] as LogRecord;
    const state = imageOfFile(contents[i]);
    const t = record.trailers;
    const ours = t.environment === env && t.action !== undefined;
    const imageChanged =
      (state.image && formatImage(state.image)) !== (previous.image && formatImage(previous.image));
    if (ours || imageChanged || state.pinned !== previous.pinned) {
      entries.push({
        commit: record.commit,
        date: record.date,
        subject: record.subject,
        action: ours ? (t.action as OpsAction) : 'manual',
        ...(state.image ? { image: state.image } : {}),
        ...(ours && t.source ? { source: t.source } : {}),
        ...(ours && t.verified ? { verified: t.verified } : {}),
        ...(ours && t.verifiedRevision ? { verifiedRevision: t.verifiedRevision } : {}),
        ...(ours && t.reason ? { reason: t.reason } : {}),
        ...(ours && t.previousImage
          ? { previousImage: t.previousImage }
          : !ours && imageChanged && previous.image
            ? { previousImage: formatImage(previous.image) }
            : {}),
        pinned: state.pinned,
      });
    }
    previous = state;
  }
  return entries.reverse();
}

/**
 * Images that passed verification live in `env`: the images of promotions out of `env` whose gate passed
 * (`Guestlist-Source: <env>`, `Guestlist-Verified: passed`). Image reference → the newest such commit.
 */
export function imagesVerifiedIn(git: Git, env: string): Map<string, string> {
  const log = readLog(git, ['-E', `--grep=^Guestlist-Source: ${env}$`, '--regexp-ignore-case']);
  const out = new Map<string, string>();
  for (const record of log) {
    const t = record.trailers;
    if (t.source === env && t.verified === 'passed' && t.image && !out.has(t.image))
      out.set(t.image, record.commit);
  }
  return out;
}
