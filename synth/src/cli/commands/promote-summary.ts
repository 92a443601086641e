/** The pull-request title and body of a promotion, in text or markdown (the body holds the rendered diff). */
import { formatImage } from '../../domain/image-ref';
import type { ApplyResult } from '../../ops/changes/apply';
import type { PromoteInfo } from '../../ops/changes/promote';
import { formatMarkdown, formatText, GITHUB_COMMENT_LIMIT } from '../../ops/diff/diff-format';
import type { ObjectChange } from '../../ops/diff/rendered-diff';

/** A pull-request title and body for a promotion, in text or markdown (the body includes the rendered diff). */
export function promoteSummary(
  from: string,
  to: string,
  result: ApplyResult,
  info: PromoteInfo | undefined,
  changes: readonly ObjectChange[],
  format: 'text' | 'markdown',
): { title: string; body: string } {
  if (result.status === 'already' || !info) {
    return { title: `promote ${from} → ${to}: nothing to do`, body: result.summary };
  }
  const title = `promote ${from} → ${to}: ${info.image.tag}`;
  const verification =
    info.verified === 'passed'
      ? `passed: ${from} verified live at ${info.verifiedRevision}`
      : `skipped: ${info.reason ?? '(no reason)'}`;
  const labels = { base: `${to} before`, head: `${to} after` };
  if (format === 'text') {
    const lines = [
      `from:          ${from}`,
      `to:            ${to}`,
      `image:         ${formatImage(info.image)}`,
      `previous:      ${formatImage(info.previous)}`,
      `verification:  ${verification}`,
      ...(result.commit ? [`commit:        ${result.commit}`] : []),
      '',
      formatText(changes, labels),
    ];
    return { title, body: lines.join('\n') };
  }
  const head = [
    `Promotes \`${formatImage(info.image)}\` from **${from}** to **${to}**.`,
    '',
    '| | |',
    '|---|---|',
    `| from | ${from} |`,
    `| to | ${to} |`,
    `| image | \`${formatImage(info.image)}\` |`,
    `| previous | \`${formatImage(info.previous)}\` |`,
    `| verification | ${info.verified === 'passed' ? `✅ ${verification}` : `⚠️ ${verification}`} |`,
    ...(result.commit ? [`| commit | ${result.commit} |`] : []),
    '',
  ].join('\n');
  return {
    title,
    body: `${head}\n${formatMarkdown(changes, labels, GITHUB_COMMENT_LIMIT - head.length - 200)}`,
  };
}
