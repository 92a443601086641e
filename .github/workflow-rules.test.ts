import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkWorkflows, type WorkflowFile } from './workflow-rules';

const dir = join(import.meta.dirname, 'workflows');
const real: WorkflowFile[] = readdirSync(dir)
  .filter((f) => /\.ya?ml$/.test(f))
  .map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));

const SHA = 'a'.repeat(40);

// Every rule broken once; the expected findings below are exact, so a rule that stops firing fails the test.
const BAD = `name: bad
on:
  pull_request_target:
permissions: write-all
env:
  AWS_SECRET_ACCESS_KEY: \${{ secrets.KEY }}
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: write
      id-token: write
      packages: write
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - uses: actions/setup-node@${SHA}
      - uses: aws-actions/configure-aws-credentials@${SHA} # v5.0.0
        with:
          aws-access-key-id: AKIAABCDEFGHIJKLMNOP
          aws-secret-access-key: \${{ secrets.AWS_SECRET }}
      - run: echo "\${{ github.event.pull_request.title }}"
      - uses: docker://alpine:3
  comment:
    runs-on: ubuntu-latest
    permissions:
      pull-requests: write
    steps:
      - run: gh pr comment 1 --body hi
        env:
          GH_TOKEN: \${{ secrets.BOT_TOKEN }}
  call:
    uses: ./.github/workflows/helper.yml
    permissions:
      id-token: write
  missing:
    uses: ./.github/workflows/nowhere.yml
    permissions:
      contents: write
`;

const HELPER = `name: helper
on: workflow_call
permissions:
  contents: read
jobs:
  only:
    runs-on: ubuntu-latest
    steps:
      - run: echo hi
`;

describe('workflow hardening rules', () => {
  it('should find nothing in the repository workflows', () => {
    expect(real.map((w) => w.name)).toEqual(
      expect.arrayContaining([
        'ci.yml',
        'release.yml',
        'build-image.yml',
        'bump.yml',
        'personal.yml',
        'promote.yml',
        'pr-diff.yml',
        'pr-diff-comment.yml',
        'project.yml',
      ]),
    );
    expect(checkWorkflows(real)).toEqual([]);
  });

  it('should report every broken rule of a seeded bad workflow', () => {
    const f = '.github/workflows/bad.yml';
    expect(
      checkWorkflows([
        { name: 'bad.yml', text: BAD },
        { name: 'helper.yml', text: HELPER },
      ]),
    ).toEqual([
      `${f}:15: uses "actions/checkout@v4" must be pinned to a full 40-hex commit SHA`,
      `${f}:18: uses "actions/setup-node@${SHA}" needs a version comment like "# v1.2.3"`,
      `${f}:24: uses "docker://alpine:3" must be pinned by @sha256 digest`,
      `${f}: permissions: top level must be exactly {contents: read}, got "write-all"`,
      `${f}: text: contains an AWS access key id (AKIAABCDEFGHIJKLMNOP); use OIDC role-to-assume`,
      `${f}: env.AWS_SECRET_ACCESS_KEY: static AWS keys are not allowed; use role-to-assume (OIDC)`,
      `${f}: jobs.build.permissions: "contents: write" is not needed by any step (only for a job that pushes with GITHUB_TOKEN)`,
      `${f}: jobs.build.permissions: "packages: write" is not needed by any step (no rule allows this scope)`,
      `${f}: jobs.build.steps[0].with.persist-credentials: must be false in a job that does not push`,
      `${f}: jobs.build.steps[0].with.ref: "\${{ github.event.pull_request.head.sha }}" checks out PR code in a pull_request_target/workflow_run job`,
      `${f}: jobs.build.steps[2].with.aws-access-key-id: static AWS keys are not allowed; use role-to-assume (OIDC)`,
      `${f}: jobs.build.steps[2].with.aws-secret-access-key: static AWS keys are not allowed; use role-to-assume (OIDC)`,
      `${f}: jobs.build.steps[2].with: configure-aws-credentials needs role-to-assume (OIDC)`,
      `${f}: jobs.build.steps[3].run: contains "\${{ github.event.pull_request.title }}"; expressions reach the shell only through env:`,
      `${f}: jobs.comment.permissions: "pull-requests: write" is not needed by any step (only for a job that calls gh with GITHUB_TOKEN)`,
      `${f}: jobs.call.permissions: "id-token: write" is not needed by any job of ./.github/workflows/helper.yml`,
      `${f}: jobs.missing.uses: "./.github/workflows/nowhere.yml" is not a workflow in this repository`,
    ]);
  });

  it('should accept write scopes that a step needs', () => {
    const ok = `name: ok
on: push
permissions:
  contents: read
jobs:
  push:
    runs-on: ubuntu-latest
    permissions:
      contents: write
      id-token: write
      pull-requests: write
    steps:
      - uses: actions/checkout@${SHA} # v5.0.0
      - uses: aws-actions/configure-aws-credentials@${SHA} # v5.0.0
        with:
          role-to-assume: arn:aws:iam::111111111111:role/ci
      - run: git push origin HEAD && gh pr create --fill
        env:
          GH_TOKEN: \${{ github.token }}
`;
    expect(checkWorkflows([{ name: 'ok.yml', text: ok }])).toEqual([]);
  });

  it('should flag a seeded regression in a real workflow', () => {
    const release = real.find((w) => w.name === 'bump.yml');
    if (!release) throw new Error('bump.yml is missing');
    const broken = release.text.replace(
      'npm run --silent bump -- "$ENVIRONMENT"',
      `npm run --silent bump -- "\${{ needs.handover.outputs.environment }}"`,
    );
    expect(broken).not.toBe(release.text);
    expect(
      checkWorkflows([...real.filter((w) => w !== release), { name: 'bump.yml', text: broken }]),
    ).toEqual([
      `.github/workflows/bump.yml: jobs.bump.steps[5].run: contains "\${{ needs.handover.outputs.environment }}"; expressions reach the shell only through env:`,
    ]);
  });
});
