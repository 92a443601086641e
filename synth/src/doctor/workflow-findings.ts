// The delivery workflows (.github/workflows): sample values written into them (account ids in role ARNs,
// example hosts), and each repository variable and secret they read (the GitHub App, the IAM roles), with
// the `gh` command that shows it is set. Pure: takes the files' text.
import { parseDocument } from 'yaml';
import type { Finding } from './finding';
import { sampleAccountId, sampleHost } from './sample-values';

/** One workflow file as read from the repository. */
export interface WorkflowFile {
  /** Repository-relative path, e.g. `.github/workflows/bump.yml`. */
  readonly file: string;
  readonly text: string;
}

/** What a workflow setting is for, by its name (the names docs/delivery.md sets up). */
function purposeOf(name: string): string {
  if (/APP_ID|APP_PRIVATE_KEY/.test(name))
    return 'the delivery GitHub App that pushes bumps and opens promotion PRs';
  if (/ROLE_ARN$/.test(name)) return 'an IAM role the workflow assumes through GitHub OIDC';
  if (/ECR|REGISTRY|REPOSITORY/.test(name)) return 'the image registry the build pushes to';
  if (/CLUSTER/.test(name)) return 'the EKS cluster the workflow reads or patches';
  if (/REGION/.test(name)) return 'the AWS region of the roles and the cluster';
  return 'a setting of the delivery workflows';
}

/** Set by GitHub itself on every run; never a repository setting. */
const PROVIDED = new Set(['GITHUB_TOKEN']);

/** Names a reusable workflow declares under `on.workflow_call.secrets` (its caller passes them). */
function declaredCallSecrets(text: string): Set<string> {
  const doc = parseDocument(text, { prettyErrors: false });
  const secrets = doc.getIn(['on', 'workflow_call', 'secrets']) as { items?: { key: unknown }[] } | undefined;
  const names = new Set<string>();
  for (const item of secrets?.items ?? [])
    names.add(String((item.key as { value?: unknown })?.value ?? item.key));
  return names;
}

/** Every finding of the workflows: sample literals break delivery; variables and secrets are checks. */
export function workflowFindings(files: readonly WorkflowFile[]): Finding[] {
  const out: Finding[] = [];
  const firstUse = new Map<
    string,
    { file: string; line: number; kind: 'vars' | 'secrets'; name: string; optional: boolean }
  >();
  // A variable tested for emptiness in an `if:` only switches an optional job on (e.g. the refresh role).
  const optional = new Set(
    files.flatMap((f) => [...f.text.matchAll(/\bvars\.([A-Za-z0-9_]+) != ''/g)].map((m) => m[1] ?? '')),
  );
  for (const { file, text } of files) {
    const callSecrets = declaredCallSecrets(text);
    text.split('\n').forEach((content, index) => {
      const line = index + 1;
      const code = content.replace(/(^|\s)#.*$/, '');
      for (const m of code.matchAll(/\b(vars|secrets)\.([A-Za-z_][A-Za-z0-9_-]*)/g)) {
        const [, kind, name = ''] = m as unknown as [string, 'vars' | 'secrets', string];
        if (PROVIDED.has(name) || (kind === 'secrets' && callSecrets.has(name))) continue;
        const id = `${kind}.${name}`;
        if (!firstUse.has(id))
          firstUse.set(id, { file, line, kind, name, optional: kind === 'vars' && optional.has(name) });
      }
      for (const m of code.matchAll(/arn:aws[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:([0-9]{12}):[^\s'"]+/g)) {
        const why = sampleAccountId(m[1] ?? '');
        if (why === undefined) continue;
        out.push({
          severity: 'breaks',
          rule: 'sample-workflow-value',
          file,
          line,
          key: 'ARN',
          value: m[0],
          why: `account ${m[1]} is ${why}: the workflow cannot assume or reach it`,
          fix: 'use the real ARN, or better a repository variable (vars.<NAME>) as the other workflows do',
          environments: [],
        });
      }
      for (const m of code.matchAll(/\b((?:[a-z0-9-]+\.)+[a-z]{2,})\b/gi)) {
        const host = m[1] ?? '';
        const why = sampleHost(host);
        if (why === undefined) continue;
        out.push({
          severity: 'breaks',
          rule: 'sample-workflow-value',
          file,
          line,
          key: 'host',
          value: host,
          why: `${why}: the workflow would push to or call a host that does not exist`,
          fix: 'use your real host, or a repository variable',
          environments: [],
        });
      }
    });
  }
  for (const { file, line, kind, name, optional: isOptional } of firstUse.values()) {
    const isVar = kind === 'vars';
    const unset = isOptional
      ? 'unset, the optional job that needs it is skipped'
      : 'unset, the workflow fails at the step that reads it';
    out.push({
      severity: 'check',
      rule: 'workflow-setting',
      file,
      line,
      key: `${kind}.${name}`,
      value: '',
      why: `the repository ${isVar ? 'variable' : 'secret'} ${name} names ${purposeOf(name)}; ${unset}`,
      fix: isVar
        ? `if the check prints no value, set it with gh variable set ${name} (docs/delivery.md says what it holds)`
        : `if the check does not list ${name}, set it with gh secret set ${name}`,
      command: isVar ? `gh variable get ${name}` : `gh secret list --json name --jq '.[].name'`,
      environments: [],
    });
  }
  return out;
}
