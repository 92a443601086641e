import { formatImage } from '../../domain/image-ref';
import { usageError } from '../errors';
import { environmentHistory, type HistoryEntry } from '../history';
import { envArg, parse } from './args';
import type { OpsContext } from './context';

export const HISTORY_HELP = `usage: npm run history -- <env> [--limit N] [--json]

The image timeline of an environment from git, newest first: date, image, digest, action (bump, promote,
rollback, pin, unpin, env-new, or manual for a commit without trailers), source, verification, commit.

  --limit N   show only the newest N entries
  --json      print the entries as JSON (full digests and commit ids)

Exit codes: 0 ok, 1 failed (not a git working tree), 2 usage error.

examples:
  npm run history -- prod
  npm run history -- staging --json --limit 20`;

/** `history <env> [--limit N] [--json]` */
export async function historyCommand(argv: readonly string[], ctx: OpsContext): Promise<number> {
  const args = parse(
    argv,
    { json: { type: 'boolean' }, limit: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    ['env'],
  );
  if (args.help) {
    ctx.io.out(HISTORY_HELP);
    return 0;
  }
  const env = envArg(args.positionals[0]);
  const limitText = args.values.limit;
  let limit = Number.POSITIVE_INFINITY;
  if (typeof limitText === 'string') {
    if (!/^[1-9][0-9]{0,5}$/.test(limitText)) {
      throw usageError(`--limit ${JSON.stringify(limitText)}: must be a whole number from 1 to 999999`);
    }
    limit = Number(limitText);
  }
  const ws = ctx.workspace();
  const file = ws.envFile(env);
  const entries = environmentHistory(ctx.git(), env, `${ws.environmentsDir}/${file ?? `${env}.yaml`}`).slice(
    0,
    limit,
  );
  if (entries.length === 0 && file === undefined) {
    throw usageError(
      `environment "${env}": no such environment, now or in the history of ${ws.environmentsDir}/${env}.yaml`,
    );
  }
  if (args.values.json === true) {
    ctx.io.out(JSON.stringify({ environment: env, entries: entries.map(toJson) }, null, 2));
    return 0;
  }
  ctx.io.out(formatHistory(entries));
  return 0;
}

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
export function formatHistory(entries: readonly HistoryEntry[]): string {
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
