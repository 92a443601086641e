// Who can reach the delivery App's key, as a pure function over the workflow files and the repository settings
// kept in .github/settings/ (environments.json, rulesets/). The key pushes to main past review (the App is the
// main ruleset's bypass actor), so every path to it is a path around every gate. What each rule is for:
// docs/security.md. Findings are `<file>: <where>: <what is wrong>`.
import { parse } from 'yaml';
import type { WorkflowFile } from './workflow-rules';

export const KEY = 'GUESTLIST_APP_PRIVATE_KEY';

/** .github/settings/environments.json: which secrets live where, and who may deploy there. */
export interface EnvironmentSettings {
  readonly repositorySecrets: readonly string[];
  readonly environments: Readonly<
    Record<
      string,
      {
        readonly deployment_branch_policy: { protected_branches: boolean; custom_branch_policies: boolean };
        readonly deployment_branches: readonly string[];
        readonly secrets: readonly string[];
      }
    >
  >;
}

type Json = Record<string, unknown>;
interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Json;
}
interface Job {
  readonly uses?: string;
  readonly environment?: unknown;
  readonly secrets?: unknown;
  readonly steps?: readonly Step[];
}

// Triggers a key-holding workflow may have. workflow_run and schedule always run the default branch's file;
// workflow_dispatch runs the chosen ref's file, which the environment's branch policy then refuses unless it
// is main; push only for branches [main]. Everything else runs a branch's or a PR's copy (push to other
// branches, pull_request), runs next to PR data (pull_request_target), or hands the key to whoever calls it
// (workflow_call: a reusable workflow's environment secrets follow the caller).
const KEY_TRIGGERS = new Set(['workflow_run', 'workflow_dispatch', 'schedule']);
// biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, literal text in the workflow
const DEFAULT_REF = '${{ github.event.repository.default_branch }}';

/** The environment names a job's `environment:` can take (`cond && 'a' || 'b'` gives a and b). */
export function environmentNames(environment: unknown): string[] {
  if (environment === undefined) return [];
  const name =
    typeof environment === 'object' && environment !== null ? (environment as Json).name : environment;
  const text = String(name);
  if (!text.includes('${{')) return [text];
  return [...text.matchAll(/(?:&&|\|\||\{\{)\s*'([A-Za-z0-9_-]+)'\s*(?=\|\||\}\})/g)].map(
    (m) => m[1] as string,
  );
}

/** Findings for the key's environments and for every workflow that could touch the key. */
export function checkTrust(files: readonly WorkflowFile[], settings: EnvironmentSettings): string[] {
  const findings: string[] = [];
  if (settings.repositorySecrets.includes(KEY)) {
    findings.push(
      `.github/settings/environments.json: repositorySecrets: ${KEY} is readable by every workflow of every branch; keep it in environments only`,
    );
  }
  const keyEnvironments = Object.entries(settings.environments).filter(([, e]) => e.secrets.includes(KEY));
  for (const [name, env] of keyEnvironments) {
    const p = env.deployment_branch_policy;
    if (
      p.protected_branches ||
      !p.custom_branch_policies ||
      JSON.stringify(env.deployment_branches) !== '["main"]'
    ) {
      findings.push(
        `.github/settings/environments.json: environments.${name}: holds ${KEY}, so its deployment branches must be exactly [main]`,
      );
    }
  }
  const allowed = new Set(keyEnvironments.map(([name]) => name));
  for (const file of files) findings.push(...checkWorkflow(file, allowed));
  return findings;
}

function checkWorkflow(file: WorkflowFile, keyEnvironments: ReadonlySet<string>): string[] {
  const at = (where: string, what: string) => `.github/workflows/${file.name}: ${where}: ${what}`;
  const wf = (parse(file.text) ?? {}) as Json;
  const on = wf.on;
  const triggers =
    typeof on === 'string' ? [on] : Array.isArray(on) ? on.map(String) : Object.keys((on ?? {}) as Json);
  const findings: string[] = [];
  if (triggers.includes('pull_request_target')) {
    findings.push(
      at('on', 'pull_request_target runs with secrets next to PR data; use pull_request + workflow_run'),
    );
  }
  if (JSON.stringify(wf.env ?? {}).includes(`secrets.${KEY}`)) {
    findings.push(at('env', `${KEY} in the workflow env reaches every job`));
  }
  for (const [id, job] of Object.entries((wf.jobs ?? {}) as Record<string, Job>)) {
    const where = `jobs.${id}`;
    if (job.uses !== undefined && job.secrets !== undefined) {
      findings.push(
        at(
          `${where}.secrets`,
          'passes secrets to a reusable workflow, whose jobs then hold them without an environment of their own',
        ),
      );
    }
    // The key by its name, or under any name: whatever feeds create-github-app-token is the App's key.
    const holds =
      JSON.stringify(job).includes(`secrets.${KEY}`) ||
      (job.steps ?? []).some((s) => s.uses?.startsWith('actions/create-github-app-token@'));
    if (!holds) continue;
    const push = ((on ?? {}) as Json).push as Json | undefined;
    const pushMainOnly = JSON.stringify(push?.branches) === '["main"]' && push?.tags === undefined;
    const branchTriggers = triggers.filter((t) => !KEY_TRIGGERS.has(t) && !(t === 'push' && pushMainOnly));
    if (branchTriggers.length > 0) {
      findings.push(
        at(
          `${where}`,
          `holds ${KEY} in a workflow started by ${branchTriggers.join(', ')}, which may run a branch's copy of the file or hand the key to a caller`,
        ),
      );
    }
    const names = environmentNames(job.environment);
    if (names.length === 0) {
      findings.push(
        at(
          `${where}.environment`,
          `holds ${KEY} without an environment; it must run in one whose deployment branches are main`,
        ),
      );
    }
    for (const name of names.filter((n) => !keyEnvironments.has(n))) {
      findings.push(
        at(
          `${where}.environment`,
          `"${name}" does not hold ${KEY} with deployment branches [main] (.github/settings/environments.json)`,
        ),
      );
    }
    (job.steps ?? []).forEach((step, i) => {
      const s = `${where}.steps[${i}]`;
      if (step.uses?.startsWith('./'))
        findings.push(
          at(`${s}.uses`, `a local action next to ${KEY} runs whatever the checked-out tree says`),
        );
      if (step.uses?.split('@')[0] === 'actions/checkout') {
        if (step.with?.ref !== DEFAULT_REF || step.with?.repository !== undefined) {
          findings.push(at(`${s}.with.ref`, `a job holding ${KEY} checks out only ${DEFAULT_REF}`));
        }
      }
      if (/\bnpm (ci|install|i)\b(?![^\n]*--ignore-scripts)/.test(step.run ?? '')) {
        findings.push(
          at(`${s}.run`, `npm install without --ignore-scripts runs dependency scripts next to ${KEY}`),
        );
      }
    });
  }
  return findings;
}
