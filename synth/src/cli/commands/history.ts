/** `history <env>`: the image timeline of an environment, from git and the commit trailers. */
import { formatImage } from '../../domain/image-ref';
import { usageError } from '../../errors';
import { environmentHistory, type HistoryEntry } from '../../ops/git/history';
import { defineCommand, HELP_OPTION } from '../command';
import { openRepository } from './repository';
import { envArg } from './write-options';

export const historyCommand = defineCommand({
  name: 'history',
  summary: 'the image timeline of an environment from git and the commit trailers',
  synopsis: '<env> [--limit N] [--json]',
  description: `The image timeline of an environment from git, newest first: date, image, digest, action (bump, promote,
rollback, pin, unpin, env-new, or manual for a commit without trailers), source, verification, commit.`,
  positionals: [{ name: 'env', help: 'the environment' }],
  options: {
    json: { type: 'boolean', help: 'print the entries as JSON (full digests and commit ids)' },
    limit: { type: 'string', value: '<N>', help: 'show only the newest N entries' },
    help: HELP_OPTION,
  },
  exitCodes: '0 ok, 1 failed (not a git working tree), 2 usage error',
  examples: ['npm run history -- prod', 'npm run history -- staging --json --limit 20'],
  run({ values: v, positionals }, ctx) {
    const env = envArg(positionals[0]);
    let limit = Number.POSITIVE_INFINITY;
    if (v.limit !== undefined) {
      if (!/^[1-9][0-9]{0,5}$/.test(v.limit)) {
        throw usageError(`--limit ${JSON.stringify(v.limit)}: must be a whole number from 1 to 999999`);
      }
      limit = Number(v.limit);
    }
    const repo = openRepository(ctx.cwd);
    const ws = repo.workspace();
    const file = ws.envFile(env);
    const path = `${ws.environmentsDir}/${file ?? `${env}.yaml`}`;
    const entries = environmentHistory(repo.git(), env, path).slice(0, limit);
    if (entries.length === 0 && file === undefined) {
      throw usageError(
        `environment "${env}": no such environment, now or in the history of ${ws.environmentsDir}/${env}.yaml`,
      );
    }
    if (v.json === true) {
      ctx.io.out(JSON.stringify({ environment: env, entries: entries.map(toJson) }, null, 2));
      return 0;
    }
    ctx.io.out(formatHistory(entries));
    return 0;
  },
});

function toJson(e: HistoryEntry) {
  return {
    date: e.date,
    action: e.action,
    image: e.image ? formatImage(e.image) : null,
    tag: e.image?.tag ?? null,
    digest: e.image?.digest ?? null,
    source: e.source ?? null,
    verified: e.verified ?? null,
    verifiedRevision: e.verifiedRevision ?? null,
    reason: e.reason ?? null,
    previousImage: e.previousImage ?? null,
    pinned: e.pinned,
    commit: e.commit,
    subject: e.subject,
  };
}

/** A table for people: digests and commits shortened (the JSON has them whole). */
function formatHistory(entries: readonly HistoryEntry[]): string {
  const rows = [['DATE', 'ACTION', 'TAG', 'DIGEST', 'SOURCE', 'VERIFIED', 'PINNED', 'COMMIT', 'REASON']];
  for (const e of entries) {
    rows.push([
      e.date.replace('T', ' ').replace(/[+-]\d\d:\d\d$|Z$/, ''),
      e.action,
      e.image?.tag ?? '(none)',
      e.image?.digest ? `${e.image.digest.slice(0, 19)}…` : '-',
      e.source ?? '-',
      e.verified ?? '-',
      e.pinned ? 'yes' : 'no',
      e.commit.slice(0, 12),
      e.reason ?? '',
    ]);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] as string).length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] as number)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
