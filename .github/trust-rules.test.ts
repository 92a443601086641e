// biome-ignore-all lint/suspicious/noTemplateCurlyInString: GitHub expressions ${{ }} are literal text in workflows
// The delivery App's key is out of reach of every branch-controlled run: rules over the parsed workflows and the
// settings files (trust-rules.ts), on the real files (no findings), on the workflows as they were before issue
// 22 (.github/fixtures/before-issue-22/: the exact paths the issue found), and on seeded regressions. Also the
// handover and render bots' own rules, and the ruleset that limits what the key may write.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkTrust, type EnvironmentSettings, environmentNames, KEY } from './trust-rules';
import type { WorkflowFile } from './workflow-rules';

const root = join(import.meta.dirname, '..');
const read = (dir: string): WorkflowFile[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.yml'))
    .map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
const real = read(join(import.meta.dirname, 'workflows'));
const before = read(join(import.meta.dirname, 'fixtures', 'before-issue-22'));
const settings: EnvironmentSettings = JSON.parse(
  readFileSync(join(import.meta.dirname, 'settings', 'environments.json'), 'utf8'),
);
// biome-ignore lint/suspicious/noExplicitAny: parsed YAML, navigated by the assertions below
const load = (name: string): any => parse(readFileSync(join(import.meta.dirname, 'workflows', name), 'utf8'));
// biome-ignore lint/suspicious/noExplicitAny: parsed YAML steps
const runs = (job: any) => (job.steps ?? []).map((s: any) => s.run ?? '').join('\n');
const replace = (name: string, from: string, to: string): WorkflowFile[] =>
  real.map((w) => {
    if (w.name !== name) return w;
    const text = w.text.replace(from, to);
    if (text === w.text) throw new Error(`seed "${from}" not found in ${name}`);
    return { name, text };
  });

describe('the delivery App key (trust-rules.ts)', () => {
  it('should find nothing in the repository workflows and settings', () => {
    expect(checkTrust(real, settings)).toEqual([]);
  });

  it('should hold the key only in environments whose deployment branches are main, never as a repository secret', () => {
    const holders = Object.entries(settings.environments).filter(([, e]) => e.secrets.includes(KEY));
    expect(holders.map(([n]) => n).sort()).toEqual(['delivery', 'production', 'promotion']);
    expect(settings.repositorySecrets).toEqual([]);
    const leaked = { ...settings, repositorySecrets: [KEY] };
    expect(checkTrust(real, leaked)).toEqual([
      `.github/settings/environments.json: repositorySecrets: ${KEY} is readable by every workflow of every branch; keep it in environments only`,
    ]);
    const wide = structuredClone(settings) as {
      environments: Record<string, { deployment_branches: string[] }>;
    };
    (wide.environments.delivery as { deployment_branches: string[] }).deployment_branches = [
      'main',
      '*-feature-*',
    ];
    expect(checkTrust(real, wide as unknown as EnvironmentSettings)).toEqual([
      `.github/settings/environments.json: environments.delivery: holds ${KEY}, so its deployment branches must be exactly [main]`,
    ]);
  });

  it('should report the paths of the workflows before issue 22: a branch push handing the key to a reusable bump', () => {
    const f = '.github/workflows';
    expect(checkTrust(before, settings)).toEqual([
      `${f}/bump.yml: jobs.bump: holds ${KEY} in a workflow started by workflow_call, which may run a branch's copy of the file or hand the key to a caller`,
      `${f}/bump.yml: jobs.bump.environment: holds ${KEY} without an environment; it must run in one whose deployment branches are main`,
      `${f}/personal.yml: jobs.bump.secrets: passes secrets to a reusable workflow, whose jobs then hold them without an environment of their own`,
      `${f}/personal.yml: jobs.bump: holds ${KEY} in a workflow started by push, which may run a branch's copy of the file or hand the key to a caller`,
      `${f}/personal.yml: jobs.bump.environment: holds ${KEY} without an environment; it must run in one whose deployment branches are main`,
      `${f}/release.yml: jobs.bump.secrets: passes secrets to a reusable workflow, whose jobs then hold them without an environment of their own`,
      `${f}/release.yml: jobs.bump.environment: holds ${KEY} without an environment; it must run in one whose deployment branches are main`,
    ]);
  });

  it('should flag seeded regressions in the real workflows', () => {
    const f = '.github/workflows/bump.yml';
    expect(checkTrust(replace('bump.yml', '    environment: delivery\n', ''), settings)).toEqual([
      `${f}: jobs.bump.environment: holds ${KEY} without an environment; it must run in one whose deployment branches are main`,
    ]);
    expect(
      checkTrust(replace('bump.yml', 'environment: delivery', 'environment: staging-like'), settings),
    ).toEqual([
      `${f}: jobs.bump.environment: "staging-like" does not hold ${KEY} with deployment branches [main] (.github/settings/environments.json)`,
    ]);
    expect(
      checkTrust(
        replace('bump.yml', 'types: [completed]\n', 'types: [completed]\n  pull_request_target:\n'),
        settings,
      ),
    ).toEqual([
      `${f}: on: pull_request_target runs with secrets next to PR data; use pull_request + workflow_run`,
      `${f}: jobs.bump: holds ${KEY} in a workflow started by pull_request_target, which may run a branch's copy of the file or hand the key to a caller`,
    ]);
    const headRef = checkTrust(
      replace(
        'bump.yml',
        '          ref: ${{ github.event.repository.default_branch }}\n          token: ${{ steps.app.outputs.token }}',
        '          ref: ${{ github.event.workflow_run.head_sha }}\n          token: ${{ steps.app.outputs.token }}',
      ),
      settings,
    );
    expect(headRef).toEqual([
      `${f}: jobs.bump.steps[1].with.ref: a job holding ${KEY} checks out only \${{ github.event.repository.default_branch }}`,
    ]);
    expect(
      checkTrust(
        replace(
          'bump.yml',
          'run: npm ci --ignore-scripts --no-audit --no-fund\n      - if',
          'run: npm ci\n      - if',
        ),
        settings,
      ),
    ).toEqual([
      `${f}: jobs.bump.steps[4].run: npm install without --ignore-scripts runs dependency scripts next to ${KEY}`,
    ]);
  });

  it('should read the environment names an expression can take', () => {
    expect(
      environmentNames("${{ (inputs.to || 'staging') == 'prod' && 'production' || 'promotion' }}"),
    ).toEqual(['production', 'promotion']);
    expect(environmentNames('delivery')).toEqual(['delivery']);
    expect(environmentNames({ name: 'platform', url: 'x' })).toEqual(['platform']);
    expect(environmentNames(undefined)).toEqual([]);
  });
});

describe('bump.yml: the handover from a build run (path 1)', () => {
  const wf = load('bump.yml');

  it('should start only by workflow_run of the two builds, and gate on a successful push run', () => {
    expect(wf.on).toEqual({ workflow_run: { workflows: ['release', 'personal'], types: ['completed'] } });
    expect(wf.jobs.handover.if).toBe(
      "github.event.workflow_run.conclusion == 'success' && (github.event.workflow_run.event == 'push' || github.event.workflow_run.event == 'workflow_dispatch')",
    );
    expect(wf.jobs['verify-image'].needs).toBe('handover');
    expect(wf.jobs.bump.needs).toEqual(['handover', 'verify-image']);
  });

  it("should decide with handover.ts from the run's fields and the artifact, passed only through env", () => {
    const decide = wf.jobs.handover.steps.find((s: { id?: string }) => s.id === 'decide');
    expect(decide.run).toBe(
      'npx tsx .github/scripts/handover.ts "$RUNNER_TEMP/image/digest" >> "$GITHUB_OUTPUT"',
    );
    expect(decide.env).toMatchObject({
      RUN_PATH: '${{ github.event.workflow_run.path }}',
      RUN_CONCLUSION: '${{ github.event.workflow_run.conclusion }}',
      RUN_HEAD_BRANCH: '${{ github.event.workflow_run.head_branch }}',
      RUN_HEAD_REPOSITORY: '${{ github.event.workflow_run.head_repository.full_name }}',
    });
    // The bump job takes environment, tag and digest only from the handover's validated outputs.
    const bump = wf.jobs.bump.steps.at(-1);
    expect(bump.env).toMatchObject({
      ENVIRONMENT: '${{ needs.handover.outputs.environment }}',
      TAG: '${{ needs.handover.outputs.tag }}',
      DIGEST: '${{ needs.handover.outputs.digest }}',
    });
    expect(JSON.stringify(wf.jobs.bump)).not.toMatch(/artifact|head_branch/);
  });

  it("should verify the digest's signed attestation from build-image.yml on the trusted branch before bumping (path 2)", () => {
    const script = runs(wf.jobs['verify-image']);
    expect(script).toContain('gh attestation verify "oci://$REGISTRY/$REPOSITORY@$DIGEST" --repo "$REPO"');
    expect(script).toContain('--signer-workflow "$REPO/.github/workflows/build-image.yml"');
    expect(script).toContain('--source-ref "refs/heads/$SOURCE_REF" --deny-self-hosted-runners');
    expect(script).toContain('--image-ids "imageDigest=$DIGEST"');
    // Before issue 22 the bump deployed whatever digest the build handed it, with no signed statement at all.
    const old = before.filter((w) => w.name === 'bump.yml' || w.name === 'build-image.yml');
    expect(old).toHaveLength(2);
    for (const w of old) expect(w.text).not.toMatch(/attestation verify|attest-build-provenance/);
  });
});

describe('build-image.yml: a signed attestation pushed with the image (path 2)', () => {
  const job = load('build-image.yml').jobs.build;

  it('should attest the pushed digest with actions/attest-build-provenance and push it to the registry', () => {
    // biome-ignore lint/suspicious/noExplicitAny: parsed YAML step
    const attest = job.steps.find((s: any) => s.uses?.startsWith('actions/attest-build-provenance@'));
    expect(attest.with).toEqual({
      'subject-name': '${{ steps.ref.outputs.repository }}',
      'subject-digest': '${{ steps.digest.outputs.digest }}',
      'push-to-registry': true,
    });
    expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write', attestations: 'write' });
  });

  it('should push releases and personal builds to different repositories', () => {
    const ref = job.steps.find((s: { id?: string }) => s.id === 'ref');
    expect(ref.env.REPOSITORY).toBe(
      "${{ inputs.kind == 'release' && vars.ECR_REPOSITORY || vars.ECR_PERSONAL_REPOSITORY }}",
    );
  });
});

describe('pr-render.yml: the render bot cannot become a path around the gates', () => {
  const wf = load('pr-render.yml');

  it("should start from the default branch's file (workflow_run), never pull_request_target", () => {
    expect(wf.on).toEqual({ workflow_run: { workflows: ['pr-diff'], types: ['completed'] } });
    expect(wf.jobs.render.if).toBe("github.event.workflow_run.event == 'pull_request'");
  });

  it("should never check out or run the PR's code: checkouts are the default branch, no git checkout/switch", () => {
    for (const [id, job] of Object.entries(
      wf.jobs as Record<string, { steps: { uses?: string; with?: { ref?: string } }[] }>,
    )) {
      for (const step of job.steps.filter((s) => s.uses?.startsWith('actions/checkout@'))) {
        expect(step.with?.ref, id).toBe('${{ github.event.repository.default_branch }}');
      }
      expect(runs(job), id).not.toMatch(/\bgit (checkout|switch|worktree|reset|merge|rebase|pull)\b/);
    }
    expect(runs(wf.jobs.render)).toContain(
      'npx tsx .github/scripts/render-commit.ts make "$HEAD_SHA" "$RUNNER_TEMP/render/render.bundle"',
    );
    expect(JSON.stringify(wf.jobs.render)).not.toContain('secrets.');
  });

  it('should push only a checked dist/-only commit, with a lease on the PR head, from a job that runs no synth', () => {
    const script = runs(wf.jobs.push);
    const check = script.indexOf('render-commit.ts check');
    const push = script.indexOf('git push --force-with-lease="refs/heads/$HEAD_BRANCH:$HEAD_SHA"');
    expect(check).toBeGreaterThan(0);
    expect(push).toBeGreaterThan(check);
    expect(script.match(/git push/g)).toHaveLength(1);
    expect(script).not.toMatch(/synth|npm run/);
    expect(wf.jobs.push.if).toContain(
      'github.event.workflow_run.head_repository.full_name == github.repository',
    );
    expect(wf.jobs['fork-comment'].if).toContain(
      'github.event.workflow_run.head_repository.full_name != github.repository',
    );
    expect(runs(wf.jobs['fork-comment'])).toContain(
      `npm ci && npm run synth && git add dist && git commit -m "Render dist/" --trailer "Guestlist-Action: render" && git push`,
    );
  });
});

describe('the repository Actions settings', () => {
  it('should keep GITHUB_TOKEN read-only by default and unable to approve pull requests', () => {
    const actions = JSON.parse(readFileSync(join(import.meta.dirname, 'settings', 'actions.json'), 'utf8'));
    // A workflow token that may approve PRs could supply the one approval main's ruleset asks for.
    expect(actions.workflow).toEqual({
      default_workflow_permissions: 'read',
      can_approve_pull_request_reviews: false,
    });
    expect(actions.fork_pr_workflows_approval).toBe('all_external_contributors');
  });
});

describe('the push ruleset that limits what the App may write', () => {
  // biome-ignore lint/suspicious/noExplicitAny: parsed ruleset JSON
  const ruleset: any = JSON.parse(
    readFileSync(join(import.meta.dirname, 'settings', 'rulesets', 'delivery-app-paths.json'), 'utf8'),
  );
  const restricted: string[] = ruleset.rules[0].parameters.restricted_file_paths;
  const glob = (pattern: string, path: string) =>
    new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*\*/g, '\0')
        .replace(/\*/g, '[^/]*')
        .replace(/\0/g, '.*')}$`,
    ).test(path);

  it('should be a push ruleset with the path rule that the App does not bypass', () => {
    expect(ruleset.target).toBe('push');
    expect(ruleset.enforcement).toBe('active');
    expect(ruleset.rules.map((r: { type: string }) => r.type)).toEqual(['file_path_restriction']);
    expect(ruleset.bypass_actors.map((a: { actor_type: string }) => a.actor_type)).not.toContain(
      'Integration',
    );
  });

  it('should restrict every tracked file except environments/<env>.yaml and dist/<env>/', () => {
    const files = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    const bumpable = (f: string) =>
      /^environments\/[^/]+\.yaml$/.test(f) || /^dist\/(?!argocd\/)[^/]+\//.test(f);
    const open = files.filter((f) => !bumpable(f) && !restricted.some((p) => glob(p, f)));
    expect(open).toEqual([]);
    expect(files.filter((f) => bumpable(f) && restricted.some((p) => glob(p, f)))).toEqual([]);
    expect(files.some(bumpable)).toBe(true);
  });
});
