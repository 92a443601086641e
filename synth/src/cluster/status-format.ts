// Formats `status` rows as the table the command prints.
import { parseImage, shortImage } from '../domain/image-ref';
import type { StatusRow } from './status-run';

const COLUMNS = [
  'ENV',
  'VERDICT',
  'FILE',
  'DIST',
  'LIVE (ready pods)',
  'SYNC',
  'HEALTH',
  'OPERATION',
  'ROLLOUT',
];

function short(image: string | undefined): string {
  return image ? shortImage(parseImage(image)) : '-';
}

function cells(row: StatusRow): string[] {
  const a = row.argocd;
  const r = row.rollout;
  return [
    row.environment,
    row.verdict,
    short(row.image.file),
    short(row.image.dist),
    row.image.live.length > 0 ? row.image.live.join(', ') : '-',
    a?.sync ? `${a.sync}${a.revision ? ` ${a.revision.slice(0, 7)}` : ''}` : '-',
    a?.health ?? '-',
    a?.operation ?? '-',
    // updated/ready/available of desired, and the generation the controller observed.
    r
      ? `${r.updated}/${r.ready}/${r.available} of ${r.desired} gen ${r.observedGeneration}/${r.generation}`
      : '-',
  ];
}

/** The `status` table: one row per environment, then one line per environment that is not in sync. */
export function formatStatusTable(rows: readonly StatusRow[]): string {
  const table = [COLUMNS, ...rows.map(cells)];
  const widths = COLUMNS.map((_, i) => Math.max(...table.map((r) => (r[i] ?? '').length)));
  const lines = table.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
  const reasons = rows.filter((r) => r.reason).map((r) => `${r.environment}: ${r.verdict}: ${r.reason}`);
  return [...lines, ...(reasons.length > 0 ? ['', ...reasons] : [])].join('\n');
}
