import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, checkEnvironmentText, loadEnvironments } from './load';
import { EnvironmentFileSchema, RULE_IDS } from './schema';

/** Every top-level key of an environment file, as unknown-key messages list them. */
const TOP_KEYS = Object.keys(EnvironmentFileSchema.shape).join(', ');

const REPO_ENVIRONMENTS = join(__dirname, '..', '..', '..', 'environments');
const temps: string[] = [];

/** A temp `environments/` folder holding the given files (name → content). */
function environments(files: Record<string, string>, withRepoFiles = false): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'synth-config-')), 'environments');
  temps.push(join(dir, '..'));
  mkdirSync(dir);
  if (withRepoFiles) {
    for (const f of ['dev.yaml', 'staging.yaml', 'prod.yaml'])
      copyFileSync(join(REPO_ENVIRONMENTS, f), join(dir, f));
  }
  // Every environment names a cluster entry; the committed ones (nonprod, prod) are in every temp folder.
  cpSync(join(REPO_ENVIRONMENTS, 'clusters'), join(dir, 'clusters'), { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

function errorsOf(dir: string): readonly string[] {
  try {
    loadEnvironments(dir);
  } catch (error) {
    if (error instanceof ConfigError) return error.errors;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

/** One line, so the positions of the lines after it stay as they were when this was `aws.roleArn`. */
const ROLE = 'cluster: nonprod\n';

afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

describe('loadEnvironments', () => {
  it('should load the committed environments sorted by name with defaults applied', () => {
    const envs = loadEnvironments(REPO_ENVIRONMENTS);
    expect(envs.map((e) => e.name)).toEqual(['dev', 'prod', 'staging']);
    const dev = envs[0];
    expect(dev?.namespace).toBe('guestlist-dev');
    expect(dev?.dynamodb).toEqual({ table: 'GuestList-dev', region: 'eu-west-1', adopt: false });
    expect(dev?.cluster).toBe('nonprod');
    expect(dev?.clusterEntry).toMatchObject({
      name: 'nonprod',
      accountId: '111111111111',
      region: 'eu-west-1',
      eksClusterName: 'guestlist-nonprod',
      oidcProvider: 'oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF',
      argocd: { kind: 'in-cluster' },
      source: 'environments/clusters/nonprod.yaml',
    });
    expect(envs[1]?.clusterEntry?.argocd).toEqual({ kind: 'registered', name: 'prod-eks' });
    expect(dev?.source).toBe('environments/dev.yaml');
    expect(envs[1]?.imagePolicy.requireDigest).toBe(true);
    expect(envs[2]?.promotion).toEqual({ from: 'dev' });
  });

  it('should apply every default to a minimal file', () => {
    const [env] = loadEnvironments(environments({ 'me.yaml': `name: me\nimage: { tag: "1.2.3" }\n${ROLE}` }));
    expect(env).toMatchObject({
      name: 'me',
      namespace: 'guestlist-me',
      image: { repository: 'registry.example.com/guestlist', tag: '1.2.3' },
      replicas: 2,
      autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 4, targetCPUUtilizationPercentage: 70 },
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
      aws: { identity: 'irsa' },
      ingress: { enabled: false, scheme: 'internal' },
      sync: { automated: true, prune: true, selfHeal: true },
      auth: { required: false, tokensSecretName: 'guestlist-api-tokens' },
      logLevel: 'info',
      waivers: [],
    });
  });

  it('should reject "latest" with its position', () => {
    const dir = environments({ 'prod.yaml': `name: prod\n${ROLE}image:\n  tag: latest\n` });
    expect(errorsOf(dir)).toEqual([
      'environments/prod.yaml:4:8 image.tag: "latest" is not allowed (pin a version; the cluster would never notice a new image)',
    ]);
  });

  it('should reject a tag outside imagePolicy.allowedTags', () => {
    const dir = environments({
      'dev.yaml': `name: dev\n${ROLE}image: { tag: "main" }\nimagePolicy: { allowedTags: "^v[0-9]+$" }\n`,
    });
    expect(errorsOf(dir)).toEqual([
      'environments/dev.yaml:3:15 image.tag: "main" does not match imagePolicy.allowedTags /^v[0-9]+$/',
    ]);
  });

  it('should point an unknown key at the key and list the allowed ones', () => {
    const dir = environments({
      'dev.yaml': `name: dev\n${ROLE}image:\n  tag: "1.0.0"\n  digets: sha256:00\n`,
    });
    expect(errorsOf(dir)).toEqual([
      'environments/dev.yaml:5:3 image.digets: unknown key; did you mean "digest"? (allowed: repository, tag, digest)',
    ]);
  });

  it('should report a missing required key at the enclosing mapping', () => {
    const dir = environments({ 'dev.yaml': `name: dev\nimage: { tag: "1.0.0" }\n` });
    expect(errorsOf(dir)).toEqual([
      'environments/dev.yaml:1:1 cluster: is required: name the cluster entry environments/clusters/<entry>.yaml this environment runs on',
    ]);
  });

  it('should report wrong types, enums, ranges and formats with the value', () => {
    const dir = environments({
      'dev.yaml': [
        'name: dev',
        ROLE.trim(),
        'image: { tag: "1.0.0" }',
        'replicas: two',
        'autoscaling: { minReplicas: 0 }',
        'resources: { requests: { memory: 1G } }',
        'logLevel: loud',
        'dynamodb: { region: Europe }',
        '',
      ].join('\n'),
    });
    expect(errorsOf(dir)).toEqual([
      'environments/dev.yaml:4:11 replicas: "two" must be a number',
      'environments/dev.yaml:5:29 autoscaling.minReplicas: 0 must be at least 1',
      'environments/dev.yaml:6:34 resources.requests.memory: "1G" must be a whole number of Mi or Gi such as 128Mi or 1Gi',
      'environments/dev.yaml:7:11 logLevel: "loud" must be one of: "debug", "info", "warn", "error"',
      'environments/dev.yaml:8:21 dynamodb.region: "Europe" must be an AWS region such as eu-west-1',
    ]);
  });

  it('should require a host, a certificate for an internet-facing ingress, and the ALB subnets', () => {
    const dir = environments({
      'dev.yaml': `name: dev\n${ROLE}image: { tag: "1.0.0" }\ningress:\n  enabled: true\n  scheme: internet-facing\n`,
    });
    expect(errorsOf(dir)).toEqual([
      'environments/dev.yaml:5:3 ingress.host: is required when ingress.enabled is true',
      'environments/dev.yaml:5:3 ingress.certificateArn: is required when ingress.scheme is "internet-facing" (HTTPS only on the internet)',
      "environments/dev.yaml:5:3 ingress.sourceCidrs: is required when ingress.enabled is true (the CIDRs of the ALB's subnets; there is no default)",
    ]);
  });

  it('should require a written reason for a waiver and a known rule id', () => {
    const dir = environments({
      'dev.yaml': `name: dev\n${ROLE}image: { tag: "1.0.0" }\nwaivers:\n  - { rule: probes, reason: " " }\n  - { rule: vibes, reason: ok }\n`,
    });
    expect(errorsOf(dir)).toEqual([
      'environments/dev.yaml:5:29 waivers[0].reason: " " must be a written reason (non-empty)',
      `environments/dev.yaml:6:13 waivers[1].rule: "vibes" must be one of: ${RULE_IDS.map((r) => `"${r}"`).join(', ')}`,
    ]);
  });

  it('should require the name to equal the file name', () => {
    const dir = environments({ 'qa.yaml': `name: qa-1\n${ROLE}image: { tag: "1.0.0" }\n` });
    expect(errorsOf(dir)).toEqual(['environments/qa.yaml:1:7 name: "qa-1" must equal the file name "qa"']);
  });

  it('should check that promotion.from names another existing environment', () => {
    const dir = environments(
      {
        'qa.yaml': `name: qa\n${ROLE}image: { tag: "1.0.0" }\npromotion: { from: nowhere }\n`,
        'self.yaml': `name: self\n${ROLE}image: { tag: "1.0.0" }\npromotion: { from: self }\n`,
      },
      true,
    );
    expect(errorsOf(dir)).toEqual([
      'environments/qa.yaml:4:20 promotion.from: "nowhere" is not an environment (known: dev, prod, qa, self, staging)',
      'environments/self.yaml:4:20 promotion.from: "self" must name another environment, not this one',
    ]);
  });

  it('should give positions in plain block style files too', () => {
    const block = (name: string, extra: string) =>
      `# comment\nname: ${name}\ncluster: nonprod\naws:\n  roleArn: arn:aws:iam::123456789012:role/x\nimage:\n  tag: "1.0.0"\n${extra}`;
    const dir = environments({
      'a.yaml': block('a', 'promotion:\n  from: b\n'),
      'b.yaml': block('b', 'promotion:\n  from: a\n'),
      'c.yaml': block('c', 'logLevel: loud\n'),
      'd.yaml': block('d', 'promotion:\n  from: d # itself\n'),
    });
    expect(errorsOf(dir)).toEqual([
      'environments/c.yaml:8:11 logLevel: "loud" must be one of: "debug", "info", "warn", "error"',
      'environments/a.yaml:9:9 promotion.from: "b" makes a promotion cycle through "a"',
      'environments/b.yaml:9:9 promotion.from: "a" makes a promotion cycle through "b"',
      'environments/d.yaml:9:9 promotion.from: "d" must name another environment, not this one',
    ]);
  });

  it('should refuse a second YAML document in one file in words for the user, at the separator', () => {
    const dir = environments({ 'dev.yaml': 'name: dev\n---\nname: other\n' });
    expect(errorsOf(dir)).toEqual([
      'environments/dev.yaml:2:1 (yaml): an environment file is one YAML document: remove this "---" and what follows it',
    ]);
  });

  it('should report YAML syntax errors with their position', () => {
    const dir = environments({ 'dev.yaml': 'name: dev\nimage: [\n' });
    expect(errorsOf(dir)).toEqual([
      'environments/dev.yaml:3:1 (yaml): Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('should report every error of every file in one run', () => {
    const dir = environments({
      'a.yaml': `name: a\n${ROLE}image: { tag: latest }\nlogLevel: loud\n`,
      'b.yaml': `name: b\nimage: { tag: "1.0.0" }\n`,
    });
    expect(errorsOf(dir)).toEqual([
      'environments/a.yaml:3:15 image.tag: "latest" is not allowed (pin a version; the cluster would never notice a new image)',
      'environments/a.yaml:4:11 logLevel: "loud" must be one of: "debug", "info", "warn", "error"',
      'environments/b.yaml:1:1 cluster: is required: name the cluster entry environments/clusters/<entry>.yaml this environment runs on',
    ]);
  });

  it('should never accept static AWS keys', () => {
    const dir = environments({
      'dev.yaml': `name: dev\n${ROLE}image: { tag: "1.0.0" }\naws:\n  roleArn: "arn:aws:iam::123456789012:role/x"\n  accessKeyId: AKIA0000000000000000\n`,
    });
    expect(errorsOf(dir)).toEqual([
      'environments/dev.yaml:6:3 aws.accessKeyId: unknown key (allowed: roleArn, identity)',
    ]);
  });

  it('should refuse more minimum than maximum replicas at the key (cdk8s-plus would throw while building)', () => {
    const dir = environments({
      'dev.yaml': `name: dev\n${ROLE}image: { tag: "1.0.0" }\nautoscaling:\n  minReplicas: 5\n  maxReplicas: 3\n`,
    });
    expect(errorsOf(dir)).toEqual([
      'environments/dev.yaml:5:16 autoscaling.minReplicas: 5 must be at most autoscaling.maxReplicas (3)',
    ]);
  });

  it('should suggest the nearest known key for a misspelled one', () => {
    const dir = environments({
      'dev.yaml': `name: dev\n${ROLE}image: { tag: "1.0.0" }\nloglevel: debug\nreplica: 3\nfoo: 1\n`,
    });
    expect(errorsOf(dir)).toEqual([
      `environments/dev.yaml:4:1 loglevel: unknown key; did you mean "logLevel"? (allowed: ${TOP_KEYS})`,
      `environments/dev.yaml:5:1 replica: unknown key; did you mean "replicas"? (allowed: ${TOP_KEYS})`,
      `environments/dev.yaml:6:1 foo: unknown key (allowed: ${TOP_KEYS})`,
    ]);
  });

  it('should read .yml files and refuse one environment in two files', () => {
    const ok = environments({ 'me.yml': `name: me\nimage: { tag: "1.2.3" }\n${ROLE}` });
    expect(loadEnvironments(ok).map((e) => e.source)).toEqual(['environments/me.yml']);
    const dir = environments({
      'me.yaml': `name: me\nimage: { tag: "1.2.3" }\n${ROLE}`,
      'me.yml': `name: me\nimage: { tag: "1.2.3" }\n${ROLE}`,
    });
    expect(errorsOf(dir)).toEqual([
      'environments/me.yml:1:1 (file): environment "me" is defined twice, by environments/me.yaml and environments/me.yml; keep one of the two files',
    ]);
  });

  it('should reject the reserved name argocd and two environments with one destination, with positions', () => {
    const dir = environments({
      'argocd.yaml': `name: argocd\nimage: { tag: "1.2.3" }\n${ROLE}`,
      'a.yaml': `name: a\nimage: { tag: "1.2.3" }\n${ROLE}`,
      'b.yaml': `name: b\nimage: { tag: "1.2.3" }\n${ROLE}namespace: guestlist-a\n`,
    });
    expect(errorsOf(dir)).toEqual([
      'environments/argocd.yaml:1:7 name: "argocd" is reserved for dist/argocd/; pick another environment name',
      'environments/b.yaml:4:12 namespace: "guestlist-a" on server https://kubernetes.default.svc (cluster entry "nonprod") is also the destination of environments/a.yaml; each environment needs its own namespace',
    ]);
  });

  it('should report files that are not a mapping, alias bombs and folders as errors, never crash', () => {
    const bomb = `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n`;
    const dir = environments({ 'list.yaml': '- a\n- b\n', 'text.yaml': 'just words\n', 'bomb.yaml': bomb });
    mkdirSync(join(dir, 'folder.yaml'));
    expect(errorsOf(dir)).toEqual([
      'environments/bomb.yaml:1:1 (yaml): Excessive alias count indicates a resource exhaustion attack',
      'environments/folder.yaml:1:1 (file): is a folder, not a file',
      'environments/list.yaml:1:1 (file): the file must be a mapping of keys (such as "name: list"), not a list',
      'environments/text.yaml:1:1 (file): the file must be a mapping of keys (such as "name: text"), not the text "just words"',
    ]);
  });

  it('should validate edited text before it is written (overrides), with every cross-file check', () => {
    const dir = environments({}, true);
    const staging = readFileSync(join(dir, 'staging.yaml'), 'utf8');
    const overrides = new Map([
      ['staging.yaml', staging.replace('from: dev', 'from: qa')],
      ['dev.yaml', null],
    ]);
    const line = staging.split('\n').findIndex((l) => l.includes('from: dev')) + 1;
    expect(() => loadEnvironments(dir, { overrides })).toThrow(
      `environments/staging.yaml:${line}:9 promotion.from: "qa" is not an environment (known: prod, staging)`,
    );
    const renamed = new Map([
      [
        'qa.yaml',
        readFileSync(join(dir, 'dev.yaml'), 'utf8')
          .replace('name: dev', 'name: qa')
          .replace('guestlist.dev.example.com', 'guestlist.qa.example.com'),
      ],
    ]);
    expect(loadEnvironments(dir, { overrides: renamed }).map((e) => e.name)).toEqual([
      'dev',
      'prod',
      'qa',
      'staging',
    ]);
  });

  it('should check one file on its own with the same messages', () => {
    expect(checkEnvironmentText(`name: dev\n${ROLE}image: { tag: latest }\n`, 'dev.yaml')).toEqual({
      errors: [
        'environments/dev.yaml:3:15 image.tag: "latest" is not allowed (pin a version; the cluster would never notice a new image)',
      ],
    });
    expect(
      checkEnvironmentText(`name: dev\n${ROLE}image: { tag: "1.0.0" }\n`, 'dev.yml').config?.source,
    ).toBe('environments/dev.yml');
  });

  it('should resolve cluster to its entry in environments/clusters/, and name a missing or broken one', () => {
    const dir = environments({
      'a.yaml': 'name: a\ncluster: nonprod\nimage: { tag: "1.0.0" }\n',
      'b.yaml': 'name: b\ncluster: nonprd\nimage: { tag: "1.0.0" }\n',
      'c.yaml': 'name: c\ncluster: broken\nimage: { tag: "1.0.0" }\n',
      'e.yaml': 'name: e\nimage: { tag: "1.0.0" }\n',
    });
    writeFileSync(
      join(dir, 'clusters', 'broken.yaml'),
      'accountId: 111\neksClusterName: dev\noidcProvider: https://example.com\nregion: eu-west-1\nargocd: elsewhere\nzone: a\naddons: { ack: { dynamodb: v1 }, metricsServer: latest }\n',
    );
    expect(errorsOf(dir)).toEqual([
      'environments/e.yaml:1:1 cluster: is required: name the cluster entry environments/clusters/<entry>.yaml this environment runs on',
      'environments/clusters/broken.yaml:1:12 accountId: 111 must be a string',
      'environments/clusters/broken.yaml:3:15 oidcProvider: "https://example.com" must be the cluster OIDC issuer without https:// (oidc.eks.<region>.amazonaws.com/id/<32 hex digits>)',
      'environments/clusters/broken.yaml:5:9 argocd: "elsewhere" must be "in-cluster", "eks-capability" or { name: <cluster registered in Argo CD> }',
      'environments/clusters/broken.yaml:7:16 addons.ack: this value must be "eks-capability", { dynamodb, iam, eks } exact chart versions X.Y.Z, or { hub: <cluster entry whose ACK manages this account> }',
      'environments/clusters/broken.yaml:7:49 addons.metricsServer: "latest" must be an exact chart version X.Y.Z or "provided" (installed outside this repository)',
      'environments/clusters/broken.yaml:6:1 zone: unknown key (allowed: accountId, region, eksClusterName, oidcProvider, argocd, addons)',
      'environments/b.yaml:2:10 cluster: "nonprd" is not a cluster entry (no environments/clusters/nonprd.yaml; did you mean "nonprod"?; known: broken, nonprod, prod)',
    ]);
  });
});
