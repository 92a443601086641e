// Formats the rendered diff for people: plain text, and Markdown that fits one GitHub comment, risky changes
// first.
import type { FieldChange } from './object-diff';
import type { ObjectChange } from './rendered-diff';
import { fieldRisk } from './risk';

/** GitHub's limit on the body of one issue or pull-request comment, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;
const VALUE_WIDTH = 200;
const RISK_ROWS = 40;

/** What the diff compared, for headings. */
export interface DiffLabels {
  readonly base: string;
  readonly head: string;
}

/** Counts of a list of object changes. */
export function summarize(changes: readonly ObjectChange[]) {
  const envs = new Set(changes.map((c) => c.env));
  return {
    environments: envs.size,
    added: changes.filter((c) => c.change === 'added').length,
    removed: changes.filter((c) => c.change === 'removed').length,
    changed: changes.filter((c) => c.change === 'changed').length,
    risky: changes.filter((c) => c.risks.length > 0).length,
  };
}

/** Plain text: one block per object, risky ones first and marked with `!`. */
export function formatText(changes: readonly ObjectChange[], labels: DiffLabels): string {
  const s = summarize(changes);
  const lines = [`Rendered diff ${labels.base} → ${labels.head}: ${headline(s)}`];
  for (const c of changes) {
    lines.push('', objectLine(c, true));
    for (const f of c.fields) lines.push(`    ${fieldLine(f)}`);
  }
  return lines.join('\n');
}

/**
 * Markdown for one pull-request comment: a summary, a table of the risky changes, then one collapsed
 * `<details>` block per environment. Past GitHub's 65,536-character limit the environments that do not fit
 * are left out, with a note saying which and how to see them.
 */
export function formatMarkdown(
  changes: readonly ObjectChange[],
  labels: DiffLabels,
  limit = GITHUB_COMMENT_LIMIT,
): string {
  const s = summarize(changes);
  const head = [`### Rendered diff: \`${code(labels.base)}\` → ${labels.head}`, '', `**${headline(s)}**`];
  if (changes.length === 0) return head.join('\n');
  const risky = changes.filter((c) => c.risks.length > 0);
  if (risky.length > 0) {
    head.push(
      '',
      '#### ⚠️ Risky changes',
      '',
      '| environment | object | risk | change |',
      '|---|---|---|---|',
    );
    for (const c of risky.slice(0, RISK_ROWS)) {
      head.push(`| ${c.env} | ${c.kind}/${c.name} | ${c.risks.join(', ')} | ${riskyChange(c)} |`);
    }
    if (risky.length > RISK_ROWS)
      head.push('', `…and ${risky.length - RISK_ROWS} more risky objects (in the details below).`);
  }
  const envs = [...new Set(changes.map((c) => c.env))];
  const blocks = envs.map((env) =>
    envBlock(
      env,
      changes.filter((c) => c.env === env),
    ),
  );
  let text = head.join('\n');
  const omitted: string[] = [];
  const noteRoom = 600;
  for (const [i, block] of blocks.entries()) {
    if (omitted.length === 0 && text.length + block.length + 2 + noteRoom <= limit) text += `\n\n${block}`;
    else omitted.push(envs[i] as string);
  }
  if (omitted.length > 0) {
    const names =
      omitted.length <= 10
        ? omitted.join(', ')
        : `${omitted.slice(0, 10).join(', ')} and ${omitted.length - 10} more`;
    text += `\n\n> **Truncated** to fit GitHub's ${GITHUB_COMMENT_LIMIT.toLocaleString('en-US')}-character comment limit: the details of ${omitted.length} environment(s) are left out (${names}). Run \`npm run diff -- --base ${code(labels.base)}\` to see everything.`;
  }
  return text;
}

function envBlock(env: string, changes: readonly ObjectChange[]): string {
  const s = summarize(changes);
  const counts = `${s.changed} changed, ${s.added} added, ${s.removed} removed${s.risky > 0 ? ` (${s.risky} risky)` : ''}`;
  const body: string[] = [];
  for (const c of changes) {
    body.push(objectLine(c, false));
    for (const f of c.fields) body.push(`    ${fieldLine(f)}`);
  }
  // A fence longer than any backtick run in the content, so values cannot close it.
  const fence = '`'.repeat(Math.max(3, ...[...body.join('\n').matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return [
    `<details><summary><b>${env}</b>: ${counts}</summary>`,
    '',
    `${fence}text`,
    ...body,
    fence,
    '',
    '</details>',
  ].join('\n');
}

function headline(s: ReturnType<typeof summarize>): string {
  const objects = s.added + s.removed + s.changed;
  if (objects === 0) return 'no rendered object changed';
  return `${objects} object(s) in ${s.environments} folder(s): ${s.changed} changed, ${s.added} added, ${s.removed} removed; ${s.risky} risky`;
}

function objectLine(c: ObjectChange, withEnv: boolean): string {
  const mark = c.risks.length > 0 ? '!' : c.change === 'added' ? '+' : c.change === 'removed' ? '-' : '~';
  const where = `${withEnv ? `${c.env}: ` : ''}${c.kind}/${c.name}${c.namespace ? ` (${c.namespace})` : ''}`;
  return `${mark} ${where} ${c.change}${c.risks.length > 0 ? ` [risk: ${c.risks.join(', ')}]` : ''}`;
}

function fieldLine(f: FieldChange): string {
  if (f.change === 'added') return `${f.path || '(object)'}: + ${show(f.after)}`;
  if (f.change === 'removed') return `${f.path || '(object)'}: - ${show(f.before)}`;
  return `${f.path}: ${show(f.before)} → ${show(f.after)}`;
}

function riskyChange(c: ObjectChange): string {
  if (c.change !== 'changed') return c.change;
  const field = c.fields.find((f) => fieldRisk(c, f.path) !== undefined) ?? c.fields[0];
  if (!field) return 'changed';
  const more = c.fields.length > 1 ? ` (+${c.fields.length - 1} more)` : '';
  return `\`${code(fieldLine(field))}\`${more}`;
}

/** A value on one line: strings quoted, objects as compact JSON, cut at VALUE_WIDTH characters. */
export function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > VALUE_WIDTH ? `${text.slice(0, VALUE_WIDTH - 1)}…` : text;
}

/** Text safe inside a markdown table cell's inline code. */
function code(text: string): string {
  return text.replace(/`/g, "'").replace(/\|/g, '\\|');
}
