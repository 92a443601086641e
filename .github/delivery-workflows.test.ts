// biome-ignore-all lint/suspicious/noTemplateCurlyInString: GitHub expressions ${{ }} are literal text in these workflows
// What each delivery workflow must do (the hardening rules are in workflow-rules.test.ts).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const dir = join(import.meta.dirname, 'workflows');
const text = (name: string) => readFileSync(join(dir, name), 'utf8');
// biome-ignore lint/suspicious/noExplicitAny: parsed YAML, navigated by the assertions below
const load = (name: string): any => parse(text(name));
// biome-ignore lint/suspicious/noExplicitAny: parsed YAML step
const step = (steps: any[], action: string) => steps.find((s) => s.uses?.startsWith(`${action}@`));
// biome-ignore lint/suspicious/noExplicitAny: parsed YAML steps
const runs = (steps: any[]) => steps.map((s) => s.run ?? '').join('\n');
const IMAGE_INPUTS = ['service/**', 'package.json', 'package-lock.json', 'tsconfig.json'];

describe('release.yml', () => {
  const wf = load('release.yml');

  it('should run on pushes to main that change the image, and by hand', () => {
    expect(wf.on.push).toEqual({ branches: ['main'], paths: IMAGE_INPUTS });
    expect(wf.on).toHaveProperty('workflow_dispatch');
    expect(wf.jobs.build.if).toBe("github.ref == 'refs/heads/main'");
  });

  it('should only build sha-<7> into the release repository, holding no key', () => {
    expect(wf.jobs.build).toMatchObject({
      uses: './.github/workflows/build-image.yml',
      with: { kind: 'release', 'tag-prefix': 'sha-' },
    });
    expect(Object.keys(wf.jobs)).toEqual(['build']);
    expect(text('release.yml')).not.toContain('secrets.');
  });

  it('should say why its own bump commit cannot start it again', () => {
    expect(text('release.yml')).toMatch(
      /bump commit touches only environments\/ and dist\/.*\n.*cannot start it again/,
    );
    expect(text('bump.yml')).toMatch(/Why this push cannot start release\.yml again/);
  });
});

describe('build-image.yml', () => {
  const job = load('build-image.yml').jobs.build;

  it('should tag <prefix><first 7 hex of the commit>', () => {
    expect(runs(job.steps)).toContain('TAG="${TAG_PREFIX}${GITHUB_SHA::7}"');
  });

  it('should assume a role through OIDC and push with SBOM and provenance attestations', () => {
    expect(step(job.steps, 'aws-actions/configure-aws-credentials').with['role-to-assume']).toBe(
      "${{ inputs.kind == 'release' && vars.AWS_RELEASE_ROLE_ARN || vars.AWS_PERSONAL_ROLE_ARN }}",
    );
    expect(step(job.steps, 'docker/build-push-action').with).toMatchObject({
      file: 'service/Dockerfile',
      push: true,
      sbom: true,
      provenance: 'mode=max',
    });
  });

  it('should scan the pushed digest and fail on fixable HIGH or CRITICAL findings', () => {
    expect(step(job.steps, 'aquasecurity/trivy-action').with).toMatchObject({
      'image-ref': '${{ steps.ref.outputs.repository }}@${{ steps.digest.outputs.digest }}',
      severity: 'HIGH,CRITICAL',
      'ignore-unfixed': true,
      'exit-code': '1',
    });
    expect(job.outputs.digest).toBe('${{ steps.digest.outputs.digest }}');
  });
});

describe('bump.yml', () => {
  const job = load('bump.yml').jobs.bump;

  it('should queue per environment and never cancel a running bump', () => {
    expect(job.concurrency).toEqual({
      group: 'deploy-${{ needs.handover.outputs.environment }}',
      'cancel-in-progress': false,
    });
  });

  it('should run the CLI bump with commit, push and retries, pushing with the App token', () => {
    expect(runs(job.steps)).toContain(
      'npm run --silent bump -- "$ENVIRONMENT" --tag "$TAG" --digest "$DIGEST" --commit --push --retries 5',
    );
    expect(step(job.steps, 'actions/checkout').with.token).toBe('${{ steps.app.outputs.token }}');
    expect(step(job.steps, 'actions/create-github-app-token').with['permission-contents']).toBe('write');
  });

  it('should ask Argo CD to refresh the bumped Application', () => {
    expect(runs(load('bump.yml').jobs.refresh.steps)).toContain(
      'annotate application "guestlist-$ENVIRONMENT" \\\n  argocd.argoproj.io/refresh=normal --overwrite',
    );
  });
});

describe('personal.yml', () => {
  const wf = load('personal.yml');

  it('should build <name>-feature-* branches of a resolved personal environment, and bump nothing itself', () => {
    expect(wf.on.push).toEqual({ branches: ['*-feature-*'], paths: IMAGE_INPUTS });
    expect(runs(wf.jobs.resolve.steps)).toContain('.github/scripts/personal-target.ts "$BRANCH"');
    expect(wf.jobs.build.if).toBe("needs.resolve.outputs.environment != ''");
    expect(wf.jobs.build.with).toEqual({
      kind: 'personal',
      'tag-prefix': '${{ needs.resolve.outputs.tag-prefix }}',
    });
    expect(Object.keys(wf.jobs)).toEqual(['resolve', 'build']);
  });
});

describe('promote.yml', () => {
  const wf = load('promote.yml');
  const job = wf.jobs.promote;

  it("should run by hand (from, to) and after bump.yml's successful bump of a release", () => {
    expect(Object.keys(wf.on.workflow_dispatch.inputs)).toEqual(['from', 'to']);
    expect(wf.on.workflow_run).toEqual({ workflows: ['bump'], types: ['completed'], branches: ['main'] });
    expect(job.if).toContain("github.event.workflow_run.path == '.github/workflows/bump.yml'");
    expect(job.if).toContain("github.event.workflow_run.display_title == 'bump after release@main'");
    expect(load('bump.yml')['run-name']).toBe(
      'bump after ${{ github.event.workflow_run.name }}@${{ github.event.workflow_run.head_branch }}',
    );
    expect(job.env).toMatchObject({
      FROM: "${{ inputs.from || 'dev' }}",
      TO: "${{ inputs.to || 'staging' }}",
    });
  });

  it('should gate prod behind the protected production environment', () => {
    expect(job.environment).toBe("${{ (inputs.to || 'staging') == 'prod' && 'production' || 'promotion' }}");
  });

  it('should verify with a read-only role, then promote on promote/<to> and update the one open PR', () => {
    const script = runs(job.steps);
    expect(step(job.steps, 'aws-actions/configure-aws-credentials').with['role-to-assume']).toBe(
      '${{ vars.AWS_CLUSTER_READ_ROLE_ARN }}',
    );
    const order = [
      'npm run --silent verify -- "$FROM" --timeout 10m',
      'branch="promote/$TO"',
      'npm run --silent promote -- "$FROM" "$TO" --format markdown --commit --context guestlist --json',
      'git push --force-with-lease',
      'gh pr list --head "$branch"',
      'gh pr edit "$open"',
      'gh pr create',
    ].map((s) => script.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(job.concurrency).toEqual({
      group: "deploy-${{ inputs.to || 'staging' }}",
      'cancel-in-progress': false,
    });
  });
});

describe('project.yml', () => {
  const wf = load('project.yml');
  const job = wf.jobs.apply;

  it('should run when a merge to main changes a rendered project, and by hand', () => {
    expect(wf.on.push).toEqual({ branches: ['main'], paths: ['dist/argocd/appproject-*.yaml'] });
    expect(wf.on).toHaveProperty('workflow_dispatch');
    expect(job.if).toBe("github.ref == 'refs/heads/main' && vars.ARGOCD_PROJECT_ROLE_ARN != ''");
  });

  it('should wait for approval in the platform environment and apply exactly that file with the project role', () => {
    expect(job.environment).toBe('platform');
    expect(job.concurrency).toEqual({ group: 'argocd-project', 'cancel-in-progress': false });
    expect(step(job.steps, 'aws-actions/configure-aws-credentials').with['role-to-assume']).toBe(
      '${{ vars.ARGOCD_PROJECT_ROLE_ARN }}',
    );
    const script = runs(job.steps);
    expect(script).toContain('for f in dist/argocd/appproject-*.yaml; do files+=(-f "$f"); done');
    expect(script).toContain('kubectl --context argocd apply "${files[@]}"');
    // Nothing else is applied: one kubectl apply, of those files.
    expect(script.match(/kubectl[^\n]* apply/g)).toHaveLength(1);
  });
});

describe('pr-diff.yml and pr-diff-comment.yml', () => {
  it('should diff PRs touching synth, environments or dist with a read-only token', () => {
    const wf = load('pr-diff.yml');
    expect(wf.on).toEqual({ pull_request: { paths: ['synth/**', 'environments/**', 'dist/**'] } });
    expect(wf.jobs.diff.permissions).toBeUndefined();
    expect(runs(wf.jobs.diff.steps)).toContain('npm run --silent diff -- --base HEAD^1 --format markdown');
    expect(step(wf.jobs.diff.steps, 'actions/upload-artifact').with.name).toBe('pr-diff');
  });

  it('should post from workflow_run without checking out any code', () => {
    const wf = load('pr-diff-comment.yml');
    expect(wf.on).toEqual({ workflow_run: { workflows: ['pr-diff'], types: ['completed'] } });
    const steps = wf.jobs.comment.steps;
    expect(step(steps, 'actions/checkout')).toBeUndefined();
    expect(step(steps, 'actions/download-artifact').with['run-id']).toBe(
      '${{ github.event.workflow_run.id }}',
    );
    expect(runs(steps)).toContain("marker='<!-- guestlist-pr-diff -->'");
    expect(text('pr-diff-comment.yml')).not.toContain('pull_request_target');
  });
});

describe('the CLI the workflows call', () => {
  const pkg = JSON.parse(readFileSync(join(dir, '..', '..', 'package.json'), 'utf8'));
  const calls = readdirSync(dir)
    .filter((f) => f.endsWith('.yml'))
    .flatMap((f) => [...text(f).matchAll(/npm run --silent ([a-z]+) -- ([^\n>]*)/g)])
    .map((m) => ({
      command: m[1] as string,
      flags: [...(m[2] as string).matchAll(/--[a-z-]+/g)].map((f) => f[0]),
    }));

  it('should be an npm script of the synth CLI for every command, with every flag in its --help', () => {
    expect(calls.map((c) => c.command).sort()).toEqual(['bump', 'diff', 'promote', 'verify']);
    for (const { command, flags } of calls) {
      expect(pkg.scripts[command]).toBe(`sh synth/bin/synth ${command}`);
      const help = spawnSync('sh', ['synth/bin/synth', command, '--help'], {
        cwd: join(dir, '..', '..'),
        encoding: 'utf8',
      });
      expect(help.status).toBe(0);
      for (const flag of flags) expect(help.stdout, `${command} ${flag}`).toContain(flag);
    }
  });
});
