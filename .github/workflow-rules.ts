// Hardening rules for .github/workflows/*.yml, as a pure function over the files' text so that a test can run
// it on the real workflows (no findings) and on seeded bad ones (exact findings). What each rule is for:
// docs/delivery.md ("Hardening").
import { isScalar, LineCounter, parse, parseDocument, visit } from 'yaml';

/** One workflow file: its name under .github/workflows/ and its text. */
export interface WorkflowFile {
  readonly name: string;
  readonly text: string;
}

type Json = Record<string, unknown>;

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Json;
  readonly env?: Json;
}

interface Job {
  readonly uses?: string;
  readonly permissions?: unknown;
  readonly steps?: readonly Step[];
  readonly env?: Json;
}

const PINNED = /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/;
const VERSION_COMMENT = /^\s*v\d+(\.\d+)*\b/;
const STATIC_KEY_INPUTS = ['aws-access-key-id', 'aws-secret-access-key', 'aws-session-token'];
const STATIC_KEY_ENV = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];
const GITHUB_TOKEN = /^\$\{\{\s*(github\.token|secrets\.GITHUB_TOKEN)\s*\}\}$/;

/** Findings for every workflow, each `.github/workflows/<file>: <where>: <what is wrong and the rule>`. */
export function checkWorkflows(files: readonly WorkflowFile[]): string[] {
  const parsed = new Map(files.map((f) => [f.name, parse(f.text) as Json]));
  return files.flatMap((f) => checkOne(f, parsed));
}

function checkOne(file: WorkflowFile, all: ReadonlyMap<string, Json>): string[] {
  const at = (where: string, what: string) => `.github/workflows/${file.name}: ${where}: ${what}`;
  const wf = all.get(file.name) ?? {};
  const findings: string[] = [...checkPins(file)];
  const top = JSON.stringify(wf.permissions ?? null);
  if (top !== '{"contents":"read"}') {
    findings.push(at('permissions', `top level must be exactly {contents: read}, got ${top}`));
  }
  const keys = /AKIA[0-9A-Z]{16}/.exec(file.text);
  if (keys) findings.push(at('text', `contains an AWS access key id (${keys[0]}); use OIDC role-to-assume`));
  findings.push(...staticKeyEnv(wf.env, 'env', at));
  const prTarget = triggers(wf).some((t) => t === 'pull_request_target' || t === 'workflow_run');
  for (const [id, job] of Object.entries((wf.jobs ?? {}) as Record<string, Job>)) {
    const where = `jobs.${id}`;
    findings.push(...checkPermissions(job, where, all, at));
    findings.push(...staticKeyEnv(job.env, `${where}.env`, at));
    const pushes = jobPushes(job);
    (job.steps ?? []).forEach((step, i) => {
      const s = `${where}.steps[${i}]`;
      findings.push(...staticKeyEnv(step.env, `${s}.env`, at));
      if (typeof step.run === 'string' && step.run.includes('${{')) {
        const expr = /\$\{\{[^}]*\}\}/.exec(step.run)?.[0] ?? '${{';
        findings.push(at(`${s}.run`, `contains "${expr}"; expressions reach the shell only through env:`));
      }
      const action = step.uses?.split('@')[0] ?? '';
      const inputs = step.with ?? {};
      if (action === 'actions/github-script' && String(inputs.script ?? '').includes('${{')) {
        findings.push(at(`${s}.with.script`, 'contains an expression; pass it through env:'));
      }
      if (action === 'aws-actions/configure-aws-credentials') {
        for (const key of STATIC_KEY_INPUTS.filter((k) => k in inputs)) {
          findings.push(at(`${s}.with.${key}`, 'static AWS keys are not allowed; use role-to-assume (OIDC)'));
        }
        if (!('role-to-assume' in inputs)) {
          findings.push(at(`${s}.with`, 'configure-aws-credentials needs role-to-assume (OIDC)'));
        }
      }
      if (action === 'actions/checkout') {
        if (!pushes && inputs['persist-credentials'] !== false) {
          findings.push(at(`${s}.with.persist-credentials`, 'must be false in a job that does not push'));
        }
        for (const key of ['ref', 'repository'] as const) {
          const value = String(inputs[key] ?? '');
          if (prTarget && /head|pull|merge/i.test(value)) {
            findings.push(
              at(
                `${s}.with.${key}`,
                `"${value}" checks out PR code in a pull_request_target/workflow_run job`,
              ),
            );
          }
        }
      }
    });
  }
  return findings;
}

function checkPins(file: WorkflowFile): string[] {
  const counter = new LineCounter();
  const doc = parseDocument(file.text, { lineCounter: counter });
  const findings: string[] = [];
  visit(doc, {
    Pair(_, pair) {
      if (!isScalar(pair.key) || pair.key.value !== 'uses' || !isScalar(pair.value)) return;
      const ref = String(pair.value.value);
      const line = counter.linePos(pair.value.range?.[0] ?? 0).line;
      const where = `.github/workflows/${file.name}:${line}: uses "${ref}"`;
      if (ref.startsWith('./')) return;
      if (ref.startsWith('docker://')) {
        if (!/@sha256:[0-9a-f]{64}$/.test(ref)) findings.push(`${where} must be pinned by @sha256 digest`);
        return;
      }
      if (!PINNED.test(ref)) findings.push(`${where} must be pinned to a full 40-hex commit SHA`);
      else if (!VERSION_COMMENT.test(pair.value.comment ?? '')) {
        findings.push(`${where} needs a version comment like "# v1.2.3"`);
      }
    },
  });
  return findings;
}

type At = (where: string, what: string) => string;

/** Each write scope a job asks for must be needed by one of its steps (or by the reusable workflow it calls). */
function checkPermissions(job: Job, where: string, all: ReadonlyMap<string, Json>, at: At): string[] {
  const perms = job.permissions;
  if (perms === undefined) return [];
  if (typeof perms === 'string')
    return [at(`${where}.permissions`, `"${perms}" is not allowed; list scopes`)];
  const writes = Object.entries(perms as Json)
    .filter(([, v]) => v === 'write')
    .map(([k]) => k);
  if (job.uses?.startsWith('./')) {
    const called = all.get(job.uses.replace('./.github/workflows/', ''));
    if (called === undefined)
      return [at(`${where}.uses`, `"${job.uses}" is not a workflow in this repository`)];
    const needed = new Set(Object.values((called.jobs ?? {}) as Record<string, Job>).flatMap(writeScopes));
    return writes
      .filter((w) => !needed.has(w))
      .map((w) => at(`${where}.permissions`, `"${w}: write" is not needed by any job of ${job.uses}`));
  }
  return writes
    .filter((w) => !needsWrite(w, job))
    .map((w) => at(`${where}.permissions`, `"${w}: write" is not needed by any step (${WHY[w] ?? NO_RULE})`));
}

const NO_RULE = 'no rule allows this scope';

const WHY: Record<string, string> = {
  'id-token': 'only for aws-actions/configure-aws-credentials or actions/attest-build-provenance',
  attestations: 'only for actions/attest-build-provenance',
  contents: 'only for a job that pushes with GITHUB_TOKEN',
  'pull-requests': 'only for a job that calls gh with GITHUB_TOKEN',
  issues: 'only for a job that calls gh with GITHUB_TOKEN',
  actions: 'only for a job that runs `gh workflow run` with GITHUB_TOKEN',
};

function writeScopes(job: Job): string[] {
  const perms = job.permissions;
  if (typeof perms !== 'object' || perms === null) return [];
  return Object.entries(perms)
    .filter(([, v]) => v === 'write')
    .map(([k]) => k);
}

function needsWrite(scope: string, job: Job): boolean {
  const steps = job.steps ?? [];
  const ghWithToken = (pattern: RegExp) =>
    steps.some(
      (s) => pattern.test(s.run ?? '') && GITHUB_TOKEN.test(String(s.env?.GH_TOKEN ?? job.env?.GH_TOKEN)),
    );
  switch (scope) {
    case 'id-token':
      return steps.some(
        (s) =>
          s.uses?.startsWith('aws-actions/configure-aws-credentials@') ||
          s.uses?.startsWith('actions/attest-build-provenance@'),
      );
    case 'attestations':
      return steps.some((s) => s.uses?.startsWith('actions/attest-build-provenance@'));
    case 'contents':
      return jobPushes(job) && steps.some((s) => s.uses?.startsWith('actions/checkout@') && !s.with?.token);
    case 'pull-requests':
    case 'issues':
      return ghWithToken(/\bgh (api|pr|issue)\b/);
    case 'actions':
      return ghWithToken(/\bgh workflow run\b/);
    default:
      return false;
  }
}

function jobPushes(job: Job): boolean {
  return (job.steps ?? []).some((s) => /\bgit push\b|\s--push\b/.test(s.run ?? ''));
}

function staticKeyEnv(env: unknown, where: string, at: At): string[] {
  if (typeof env !== 'object' || env === null) return [];
  return STATIC_KEY_ENV.filter((k) => k in env).map((k) =>
    at(`${where}.${k}`, 'static AWS keys are not allowed; use role-to-assume (OIDC)'),
  );
}

function triggers(wf: Json): string[] {
  const on = wf.on;
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.map(String);
  return Object.keys((on ?? {}) as Json);
}
