// biome-ignore-all lint/suspicious/noTemplateCurlyInString: GitHub expressions ${{ }} are literal text in workflows
// The IAM documents of the roles GitHub Actions assumes (OIDC), checked as IAM would evaluate them, and against
// the workflow jobs that assume each role: a job with `environment:` presents `sub` =
// repo:OWNER/REPO:environment:<name>, a job without one presents repo:OWNER/REPO:ref:<ref>, so a role pinned to
// the default branch must only be assumed by jobs WITHOUT an environment, and the other way round.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const dir = import.meta.dirname;
const workflowsDir = join(dir, '..', 'workflows');
// biome-ignore lint/suspicious/noExplicitAny: parsed IAM JSON
const doc = (name: string): any => JSON.parse(readFileSync(join(dir, name), 'utf8'));
const SUB = 'token.actions.githubusercontent.com:sub';
const AUD = 'token.actions.githubusercontent.com:aud';
const REPO = 'repo:OWNER/REPO';

/** IAM's StringLike: `*` any run of characters (including / and :), `?` one character. */
function iamLike(pattern: string, value: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(value);
}

/** Whether a trust document lets a GitHub OIDC token with this `sub` (and audience sts) assume the role. */
function admits(trust: ReturnType<typeof doc>, sub: string): boolean {
  return trust.Statement.some(
    (s: { Effect: string; Action: string; Condition: Record<string, Record<string, string | string[]>> }) => {
      if (s.Effect !== 'Allow' || s.Action !== 'sts:AssumeRoleWithWebIdentity') return false;
      const list = (v: string | string[] | undefined) => (v === undefined ? undefined : [v].flat());
      const eqAud = list(s.Condition.StringEquals?.[AUD]);
      if (!eqAud?.includes('sts.amazonaws.com')) return false;
      const eq = list(s.Condition.StringEquals?.[SUB]);
      const like = list(s.Condition.StringLike?.[SUB]);
      if (eq === undefined && like === undefined) return true; // no sub condition: anyone in GitHub
      return (eq ?? []).includes(sub) || (like ?? []).some((p) => iamLike(p, sub));
    },
  );
}

/** The role each workflow variable names, and what its trust must and must not admit. */
const ROLES = [
  { variable: 'AWS_RELEASE_ROLE_ARN', file: 'release-build', environments: [] as string[] },
  { variable: 'AWS_PERSONAL_ROLE_ARN', file: 'personal-build', environments: [] },
  { variable: 'AWS_IMAGE_VERIFY_ROLE_ARN', file: 'image-verify', environments: [] },
  { variable: 'ARGOCD_REFRESH_ROLE_ARN', file: 'refresh', environments: [] },
  { variable: 'AWS_CLUSTER_READ_ROLE_ARN', file: 'cluster-read', environments: ['promotion', 'production'] },
  { variable: 'ARGOCD_PROJECT_ROLE_ARN', file: 'project', environments: ['platform'] },
];

const SUBJECTS = {
  main: `${REPO}:ref:refs/heads/main`,
  feature: `${REPO}:ref:refs/heads/dana-feature-login`,
  otherBranch: `${REPO}:ref:refs/heads/dana-fix`,
  tagMain: `${REPO}:ref:refs/tags/main`,
  pullRequest: `${REPO}:pull_request`,
  delivery: `${REPO}:environment:delivery`,
  production: `${REPO}:environment:production`,
  otherRepo: 'repo:OWNER/REPO-fork:ref:refs/heads/main',
  otherRepoFeature: 'repo:OTHER/REPO:ref:refs/heads/x-feature-y',
};

describe('IAM trust of the GitHub roles (.github/iam/*-trust.json)', () => {
  it('should find a trust and a policy document for every role, and nothing else in the folder', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.filter((f) => f.endsWith('-trust.json')).sort()).toEqual(
      ROLES.map((r) => `${r.file}-trust.json`).sort(),
    );
  });

  it('should admit the release role only from the default branch: no feature branch, tag, PR or environment', () => {
    const trust = doc('release-build-trust.json');
    expect(admits(trust, SUBJECTS.main)).toBe(true);
    for (const s of ['feature', 'otherBranch', 'tagMain', 'pullRequest', 'delivery', 'otherRepo'] as const) {
      expect(admits(trust, SUBJECTS[s]), s).toBe(false);
    }
  });

  it('should admit the personal role only from *-feature-* branches of this repository, never main', () => {
    const trust = doc('personal-build-trust.json');
    expect(admits(trust, SUBJECTS.feature)).toBe(true);
    for (const s of [
      'main',
      'otherBranch',
      'tagMain',
      'pullRequest',
      'delivery',
      'otherRepoFeature',
    ] as const) {
      expect(admits(trust, SUBJECTS[s]), s).toBe(false);
    }
  });

  it('should admit the image-verify and refresh roles only from the default branch (workflow_run runs there)', () => {
    for (const file of ['image-verify-trust.json', 'refresh-trust.json']) {
      expect(admits(doc(file), SUBJECTS.main), file).toBe(true);
      for (const s of ['feature', 'tagMain', 'pullRequest', 'otherRepo'] as const) {
        expect(admits(doc(file), SUBJECTS[s]), `${file} ${s}`).toBe(false);
      }
    }
  });

  it('should admit the environment roles only from their environments, never from a branch', () => {
    for (const role of ROLES.filter((r) => r.environments.length > 0)) {
      const trust = doc(`${role.file}-trust.json`);
      for (const env of role.environments) expect(admits(trust, `${REPO}:environment:${env}`)).toBe(true);
      for (const s of ['main', 'feature', 'delivery'] as const)
        expect(admits(trust, SUBJECTS[s])).toBe(false);
    }
  });
});

describe('ECR permissions of the build roles (.github/iam/*-policy.json)', () => {
  const resources = (name: string) =>
    doc(name)
      .Statement.filter((s: { Action: string | string[] }) =>
        [s.Action].flat().some((a) => a !== 'ecr:GetAuthorizationToken'),
      )
      .flatMap((s: { Resource: string | string[] }) => [s.Resource].flat());
  const actions = (name: string) =>
    doc(name).Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat());

  it('should let the release role push to the release repository only, and the personal role to its own only', () => {
    expect(resources('release-build-policy.json')).toEqual([
      'arn:aws:ecr:REGION:ACCOUNT:repository/guestlist',
    ]);
    expect(resources('personal-build-policy.json')).toEqual([
      'arn:aws:ecr:REGION:ACCOUNT:repository/guestlist-personal',
    ]);
    for (const name of ['release-build-policy.json', 'personal-build-policy.json']) {
      expect(actions(name)).toContain('ecr:PutImage');
      expect(actions(name).filter((a: string) => a.includes('*'))).toEqual([]);
    }
  });

  it('should let the image-verify role only read images', () => {
    expect(actions('image-verify-policy.json').sort()).toEqual(
      [
        'ecr:BatchGetImage',
        'ecr:DescribeImages',
        'ecr:GetAuthorizationToken',
        'ecr:GetDownloadUrlForLayer',
      ].sort(),
    );
  });
});

/** Every job of the workflows in `folder`: its environment (as written) and the role variables it assumes. */
function jobsOf(folder: string) {
  return readdirSync(folder)
    .filter((f) => f.endsWith('.yml'))
    .flatMap((file) => {
      const wf = parse(readFileSync(join(folder, file), 'utf8'));
      return Object.entries(
        wf.jobs as Record<
          string,
          { environment?: string; steps?: { uses?: string; with?: Record<string, string> }[] }
        >,
      ).map(([id, job]) => ({
        where: `${file} jobs.${id}`,
        environment: job.environment,
        roles: (job.steps ?? [])
          .filter((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'))
          .flatMap((s) =>
            [...String(s.with?.['role-to-assume']).matchAll(/vars\.([A-Z_]+)/g)].map((m) => m[1]),
          ),
      }));
    });
}

describe('the workflow jobs that assume each role', () => {
  const jobs = jobsOf(workflowsDir);

  it('should assume only roles that have a trust document here', () => {
    const known = new Set(ROLES.map((r) => r.variable));
    for (const job of jobs)
      for (const role of job.roles) expect(known.has(role as string), `${job.where} ${role}`).toBe(true);
    expect(jobs.some((j) => j.roles.length > 0)).toBe(true);
  });

  it('should report the build before issue 22: one role for releases and feature builds, no trust document', () => {
    const before = jobsOf(join(dir, '..', 'fixtures', 'before-issue-22'));
    const known = new Set(ROLES.map((r) => r.variable));
    const unknown = before.flatMap((j) =>
      j.roles.filter((r) => !known.has(r as string)).map((r) => `${j.where} ${r}`),
    );
    expect(unknown).toEqual(['build-image.yml jobs.build AWS_BUILD_ROLE_ARN']);
  });

  it("should match each role's sub form: branch-pinned roles in jobs without environment, environment roles in those environments", () => {
    for (const job of jobs) {
      for (const variable of job.roles) {
        const role = ROLES.find((r) => r.variable === variable);
        if (role === undefined) continue;
        if (role.environments.length === 0) {
          expect(
            job.environment,
            `${job.where} assumes ${variable} but runs in an environment`,
          ).toBeUndefined();
        } else {
          // The values an expression like `cond && 'a' || 'b'` can take (not the strings it compares).
          const named = [
            ...String(job.environment).matchAll(/(?:&&|\|\|)\s*'([a-z-]+)'\s*(?=\|\||\}\})/g),
          ].map((m) => m[1]);
          const envs = named.length > 0 ? named : [job.environment];
          for (const env of envs) expect(role.environments, `${job.where} ${variable}`).toContain(env);
        }
      }
    }
  });
});
