// Where the accepted bearer tokens come from: a fixed list, or a tokens file re-read when a rotated Secret
// replaces it, so tokens change without a restart.
import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import type { Logger } from '../observability/logger';
import { parseTokens } from './tokens';

/** The bearer tokens accepted right now. */
export interface TokenSource {
  /** Tokens accepted at this moment; never empty while authentication is on. */
  tokens(): readonly string[];
  /** Stops watching (no-op for a static list). */
  close(): void;
}

/** A fixed token list (API_TOKENS, or tests). */
export const staticTokens = (tokens: readonly string[]): TokenSource => ({
  tokens: () => tokens,
  close: () => undefined,
});

/** Props of {@link watchTokenFile}. */
export interface WatchTokenFileProps {
  /** The tokens file (API_TOKENS_FILE), already read once at start by the config. */
  readonly path: string;
  /** Tokens that do not come from the file (API_TOKENS); always accepted. @default [] */
  readonly fixed?: readonly string[];
  /** The file's tokens as read at start. */
  readonly initial: readonly string[];
  readonly logger: Logger;
  /** How often the file's stat is polled. @default 1000 */
  readonly intervalMs?: number;
}

/**
 * Tokens from a file that is re-read whenever it changes, so a rotated Kubernetes Secret takes effect
 * without a restart. The kubelet swaps a `..data` symlink to a new directory; `fs.watchFile` polls
 * `stat` (which follows symlinks) and sees the new inode and mtime, where `fs.watch` on the path
 * would keep watching the old, unlinked file. A rotation to an empty, unreadable or invalid file keeps
 * the last good tokens and logs a warning: it never turns authentication off.
 */
export function watchTokenFile(props: WatchTokenFileProps): TokenSource {
  const fixed = props.fixed ?? [];
  let current: readonly string[] = [...fixed, ...props.initial];
  const reload = () => {
    try {
      const fromFile = parseTokens(readFileSync(props.path, 'utf8'), 'API_TOKENS_FILE');
      current = [...fixed, ...fromFile];
      props.logger.info('api tokens reloaded', { file_tokens: fromFile.length });
    } catch (err) {
      props.logger.warn('api tokens file change ignored; keeping the previous tokens', {
        reason: (err as Error).message,
      });
    }
  };
  // persistent: false, so the watcher never keeps a draining process alive.
  const listener = () => reload();
  watchFile(props.path, { interval: props.intervalMs ?? 1000, persistent: false }, listener);
  return {
    tokens: () => current,
    close: () => unwatchFile(props.path, listener),
  };
}
