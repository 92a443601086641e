// `npm run doctor` through the user's door: the bundled CLI as a process, against the committed sample
// repository (exit 1, naming the certificate ARN, the account and the registry) and against temp copies
// with real-looking values (exit 0), a sample left in one environment (only that environment fails), and
// bad input (exit 2 for usage, 1 for an invalid file; one line each, never a stack trace).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliCommand, runLauncher } from '../../test/launcher';

const REPO = join(__dirname, '..', '..', '..');

/** `npm run doctor -- <args>` as a process in `cwd`. */
const doctor = (cwd: string, ...args: string[]) => runLauncher(cwd, 'doctor', ...args);

interface JsonFinding {
  severity: string;
  rule: string;
  file: string;
  line: number;
  key: string;
  value: string;
  fix: string;
  environments: string[];
}

/** The findings of a `--json` run, each checked to point at a line that holds its key. */
function findings(cwd: string, out: string): JsonFinding[] {
  const doc = JSON.parse(out) as { findings: JsonFinding[] };
  for (const f of doc.findings) {
    const line = readFileSync(join(cwd, f.file), 'utf8').split('\n')[f.line - 1] ?? '';
    const leaf = f.key.split('.').pop() ?? '';
    if (f.rule.startsWith('sample-') && !f.value.includes('(the default'))
      expect(line, f.key).toContain(leaf);
  }
  return doc.findings;
}

const edit = (root: string, file: string, from: string | RegExp, to: string) => {
  const path = join(root, file);
  const text = readFileSync(path, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`${file}: ${String(from)} not found`);
  writeFileSync(path, next);
};

const ACCOUNTS = { nonprod: '704928311352', prod: '990112763045' } as const;
const ISSUERS = {
  nonprod: '5C8B1E0F3A9D27E4B6F01C9D8A3E7B52',
  prod: 'B71F0C3E9A2D58B4E6C1F07A93D2E85B',
} as const;

/** A copy of the repository's inputs with every sample replaced by a real-looking value. */
function realLookingCopy(): string {
  const root = mkdtempSync(join(tmpdir(), 'doctor-'));
  for (const dir of ['environments', 'argocd', '.github'])
    cpSync(join(REPO, dir), join(root, dir), { recursive: true });
  edit(root, 'argocd/repo.yaml', 'github.com/example/', 'github.com/acme-events/');
  for (const [cluster, account] of Object.entries(ACCOUNTS)) {
    const file = `environments/clusters/${cluster}.yaml`;
    edit(root, file, /accountId: "[0-9]{12}"/, `accountId: "${account}"`);
    edit(root, file, /\/id\/[0-9A-F]{32}/, `/id/${ISSUERS[cluster as keyof typeof ISSUERS]}`);
  }
  const registry = `${ACCOUNTS.nonprod}.dkr.ecr.eu-west-1.amazonaws.com/guestlist`;
  for (const env of ['dev', 'staging', 'prod']) {
    edit(root, `environments/${env}.yaml`, /image:\n/, `image:\n  repository: ${registry}\n`);
    edit(root, `environments/${env}.yaml`, /example\.com/, 'acme-events.io');
  }
  edit(
    root,
    'environments/dev.yaml',
    /certificateArn: .*/,
    `certificateArn: arn:aws:acm:eu-west-1:${ACCOUNTS.nonprod}:certificate/6f1c2a9e-3b7d-4e58-9a0c-d2e41b7f8c35`,
  );
  edit(
    root,
    'environments/staging.yaml',
    /certificateArn: .*/,
    `certificateArn: arn:aws:acm:eu-west-1:${ACCOUNTS.nonprod}:certificate/6f1c2a9e-3b7d-4e58-9a0c-d2e41b7f8c35`,
  );
  edit(
    root,
    'environments/prod.yaml',
    /certificateArn: .*/,
    `certificateArn: arn:aws:acm:eu-west-1:${ACCOUNTS.prod}:certificate/0b6e2f94-7c1a-4d38-b5e0-93a7c2d1f468`,
  );
  return root;
}

describe('npm run doctor on the committed sample repository', () => {
  it('should exit 1 for prod, naming the certificate ARN, the account and the registry with file:line', () => {
    const r = doctor(REPO, 'prod');
    expect(r.code, r.err).toBe(1);
    expect(r.err).toBe('');
    expect(r.out).toMatch(
      /environments\/prod\.yaml:\d+ ingress\.certificateArn: arn:aws:acm:eu-west-1:333333333333:certificate\/00000000-0000-0000-0000-000000000000 \[sample-certificate\]/,
    );
    expect(r.out).toMatch(
      /environments\/clusters\/prod\.yaml:\d+ accountId: 333333333333 \[sample-account-id\]/,
    );
    expect(r.out).toMatch(
      /environments\/prod\.yaml:\d+ image\.repository: registry\.example\.com\/guestlist/,
    );
    expect(r.out.trim().split('\n').pop()).toMatch(
      /^doctor: \d+ value\(s\) would break a first deploy of prod;/,
    );
  });

  it('should give CI the same in one JSON document, each finding at the line of its key', () => {
    const r = doctor(REPO, 'prod', '--json');
    expect(r.code, r.err).toBe(1);
    const found = findings(REPO, r.out);
    const breaking = found.filter((f) => f.severity === 'breaks').map((f) => `${f.rule} ${f.file} ${f.key}`);
    expect(breaking).toEqual(
      expect.arrayContaining([
        'sample-certificate environments/prod.yaml ingress.certificateArn',
        'sample-account-id environments/clusters/prod.yaml accountId',
        'sample-registry environments/prod.yaml image.repository',
        'sample-repo-url argocd/repo.yaml data.repoURL',
      ]),
    );
    // Only prod's cluster: dev's and staging's entries are not prod's problem.
    expect(found.some((f) => f.file.includes('clusters/nonprod.yaml'))).toBe(false);
    // prod uses Pod Identity: its cluster's made-up OIDC issuer is listed, but does not fail prod.
    expect(found.find((f) => f.rule === 'sample-oidc-provider')).toMatchObject({
      severity: 'check',
      file: 'environments/clusters/prod.yaml',
      value: 'oidc.eks.eu-west-1.amazonaws.com/id/2123456789ABCDEF0123456789ABCDEF',
    });
    const checks = found.filter((f) => f.severity === 'check').map((f) => f.key);
    expect(checks).toEqual(expect.arrayContaining(['ACK DynamoDB controller', 'External Secrets Operator']));
  });

  it('should check every environment when none is named', () => {
    const r = doctor(REPO, '--json');
    expect(r.code).toBe(1);
    const envs = new Set(findings(REPO, r.out).flatMap((f) => f.environments));
    expect([...envs].sort()).toEqual(['dev', 'prod', 'staging']);
  });
});

describe('npm run doctor on a copy with real-looking values', () => {
  let root: string;
  beforeAll(() => {
    root = realLookingCopy();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('should exit 0 for every environment and still list the prerequisites to check', () => {
    const r = doctor(root);
    expect(r.code, r.out).toBe(0);
    expect(r.out).not.toContain('Would break');
    expect(r.out).toContain(
      `aws eks describe-cluster --region eu-west-1 --name prod-eks --query cluster.arn --output text`,
    );
    expect(r.out).toContain('kubectl --context prod get ingressclass alb');
    // A repository variable or secret the workflows read: the fix says plainly what to do after the check.
    expect(r.out).toMatch(
      /^ {6}fix: if the check prints no value, set it with gh variable set (\w+) \(docs\/delivery\.md says what it holds\)\n {6}check: gh variable get \1$/m,
    );
    expect(r.out).toMatch(/^ {6}fix: if the check does not list (\w+), set it with gh secret set \1$/m);
    expect(r.out).not.toContain('expect its value');
    expect(r.out).toContain(
      `--registry-id ${ACCOUNTS.nonprod} --repository-name guestlist --image-ids imageDigest=sha256:`,
    );
    expect(r.out.trim().split('\n').pop()).toMatch(
      /^doctor: nothing in the repository breaks a first deploy of dev, prod, staging;/,
    );
    const json = JSON.parse(doctor(root, '--json').out) as { ready: boolean; breaks: number };
    expect(json).toMatchObject({ ready: true, breaks: 0 });
  });

  it('should warn, without failing, while Argo CD is pinned by tag, and not once it is pinned by commit and digests', () => {
    const r = doctor(root);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain(
      'Would not break a first deploy, but should be done (1; the exit code does not count them):',
    );
    expect(r.out).toMatch(
      /argocd\/install\/kustomization\.yaml:\d+ resources: https:\/\/raw\.githubusercontent\.com\/argoproj\/argo-cd\/v3\.6\.2\/manifests\/install\.yaml \[argocd-install-pin\]/,
    );
    expect(r.out).toContain('why: Argo CD install pinned by tag, not by commit/digest');
    expect(r.out).toContain('run: npm run argocd:pin -- v3.6.2');
    expect(r.out.trim().split('\n').pop()).toMatch(
      /; and 1 warning\(s\) above \(not counted in the exit code\)$/,
    );
    const json = JSON.parse(doctor(root, '--json').out) as {
      ready: boolean;
      warns: number;
      environments: string[];
      findings: JsonFinding[];
    };
    expect(json).toMatchObject({ ready: true, warns: 1 });
    expect(json.findings.find((f) => f.rule === 'argocd-install-pin')).toMatchObject({
      severity: 'warns',
      // About the whole repository: every environment of the run, not an empty list.
      environments: json.environments,
      file: 'argocd/install/kustomization.yaml',
      key: 'resources',
      command: 'npm run argocd:pin -- v3.6.2',
    });
    // As `npm run argocd:pin` writes it (a made-up commit and digests: this test never deploys them).
    const file = 'argocd/install/kustomization.yaml';
    const committed = readFileSync(join(root, file), 'utf8');
    const commit = 'c0ffee'.padEnd(40, '1');
    edit(
      root,
      file,
      /argo-cd\/v3\.6\.2\/manifests\/install\.yaml/,
      `argo-cd/${commit}/manifests/install.yaml # v3.6.2`,
    );
    writeFileSync(
      join(root, file),
      `${readFileSync(join(root, file), 'utf8')}images:\n  - name: quay.io/argoproj/argocd\n    digest: sha256:${'0123456789abcdef'.repeat(4)}\n`,
    );
    const pinned = doctor(root);
    writeFileSync(join(root, file), committed);
    expect(pinned.code, pinned.out).toBe(0);
    expect(pinned.out).not.toContain('argocd-install-pin');
    expect(pinned.out).not.toContain('warning(s)');
  });

  it('should refuse a real-looking certificate in another region than the cluster', () => {
    edit(
      root,
      'environments/prod.yaml',
      'certificateArn: arn:aws:acm:eu-west-1:',
      'certificateArn: arn:aws:acm:us-east-1:',
    );
    const r = doctor(root, 'prod');
    edit(
      root,
      'environments/prod.yaml',
      'certificateArn: arn:aws:acm:us-east-1:',
      'certificateArn: arn:aws:acm:eu-west-1:',
    );
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /environments\/prod\.yaml:\d+ ingress\.certificateArn: arn:aws:acm:us-east-1:\S+ \[certificate-region\]/,
    );
    expect(r.out).toContain('the certificate is in us-east-1 and the load balancer in eu-west-1');
  });

  it('should fail only the environment that keeps a sample', () => {
    edit(root, 'environments/dev.yaml', /host: .*/, 'host: guestlist.dev.example.com');
    expect(doctor(root, 'prod').code).toBe(0);
    const dev = doctor(root, 'dev');
    expect(dev.code).toBe(1);
    expect(dev.out).toMatch(
      /environments\/dev\.yaml:\d+ ingress\.host: guestlist\.dev\.example\.com \[sample-host\]/,
    );
  });
});

describe('npm run doctor --help', () => {
  it('should print the usage and exit codes, and be listed by synth help', () => {
    const r = doctor(REPO, '--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^usage: npm run doctor -- \[<env>\.\.\.\] \[--json\]/);
    expect(r.out).toContain('exit codes: 0 nothing in the repository breaks a first deploy, 1 ');
    const help = spawnSync(...cliCommand('help'), { encoding: 'utf8' });
    expect(help.stdout).toMatch(/^ {2}npm run doctor +is the repository ready for a first real deploy\?/m);
  });
});

describe('npm run doctor on bad input', () => {
  it('should exit 2 on an unknown environment, with the nearest name', () => {
    const r = doctor(REPO, 'prdo');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trim()).toBe(
      'doctor: environment "prdo": no such environment; did you mean "prod"? (environments: dev, prod, staging)',
    );
  });

  it('should exit 2 on an unknown option, with the nearest one', () => {
    const r = doctor(REPO, '--jsn');
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe(
      'doctor: unknown option --jsn; did you mean --json? (options: --json, --environments, --help)',
    );
  });

  it('should exit 1 with the file, line and rule of an invalid environment file, never a stack trace', () => {
    const root = mkdtempSync(join(tmpdir(), 'doctor-bad-'));
    try {
      for (const dir of ['environments', 'argocd'])
        cpSync(join(REPO, dir), join(root, dir), { recursive: true });
      edit(
        root,
        'environments/prod.yaml',
        / {2}identity: pod-identity\n/,
        '  identity: pod-identity\n  roleArn: nope\n',
      );
      const r = doctor(root, 'prod');
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^environments\/prod\.yaml:\d+:\d+ aws\.roleArn: "nope" must be an IAM role ARN/);
      expect(r.err).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
