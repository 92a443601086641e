import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readTree } from '../../test/cli';
import { runLauncher } from '../../test/launcher';

const REPO = join(__dirname, '..', '..', '..');

let work: string;
let pristine: Record<string, string>;
const written: string[] = [];

/** The real CLI as a process in the temp copy. */
const synth = (...args: string[]) => runLauncher(work, ...args);

/** Writes a file of the temp copy for one test (restored or removed afterwards). */
function put(path: string, text: string) {
  written.push(path);
  writeFileSync(join(work, path), text);
}
const original = (path: string) => readFileSync(join(REPO, path), 'utf8');

/** Runs synth, expects exactly these error lines (in any order) and an untouched dist/. */
function refused(expected: readonly string[]) {
  const r = synth();
  expect(r.code).toBe(1);
  const lines = r.err.split('\n').filter((l) => l.length > 0 && !l.startsWith('synth:'));
  expect(lines.sort()).toEqual([...expected].sort());
  expect(r.err).not.toMatch(/\n\s+at /);
  expect(readTree(work)).toEqual(pristine);
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'synth-topology-'));
  for (const dir of ['environments', 'argocd', 'dist'])
    cpSync(join(REPO, dir), join(work, dir), { recursive: true });
  pristine = readTree(work);
});
afterEach(() => {
  for (const path of written.splice(0)) {
    if (path === 'dist-restore') {
      rmSync(join(work, 'dist'), { recursive: true, force: true });
      cpSync(join(REPO, 'dist'), join(work, 'dist'), { recursive: true });
      continue;
    }
    try {
      writeFileSync(join(work, path), original(path));
    } catch {
      unlinkSync(join(work, path));
    }
  }
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const NONPROD = 'environments/clusters/nonprod.yaml';
const DEV = 'environments/dev.yaml';
const STAGING = 'environments/staging.yaml';

describe('the committed sample', () => {
  it('should render, every Application reaching the cluster its entry names', () => {
    const r = synth('--check');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const app = (env: string) =>
      parse(readFileSync(join(work, 'dist', 'argocd', `application-guestlist-${env}.yaml`), 'utf8')).spec
        .destination;
    expect(app('dev')).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'guestlist-dev' });
    expect(app('staging')).toEqual({
      server: 'https://kubernetes.default.svc',
      namespace: 'guestlist-staging',
    });
    expect(app('prod')).toEqual({ name: 'prod-eks', namespace: 'guestlist-prod' });
  });
});

describe('finding 4: two cluster entries that are one cluster', () => {
  it('should refuse a second entry resolving to the in-cluster destination', () => {
    put(
      'environments/clusters/other.yaml',
      original(NONPROD).replace('guestlist-nonprod', 'guestlist-other'),
    );
    refused([
      'environments/clusters/other.yaml:11:9 argocd: resolves to server https://kubernetes.default.svc, which is already environments/clusters/nonprod.yaml; two cluster entries cannot be one cluster (the environments on it would get two accounts, trust policies and ARNs)',
    ]);
  });

  it('should refuse two entries naming one EKS cluster', () => {
    put(
      'environments/clusters/again.yaml',
      original('environments/clusters/prod.yaml').replace('name: prod-eks', 'name: prod-again'),
    );
    refused([
      'environments/clusters/prod.yaml:5:17 eksClusterName: "prod-eks" in account 333333333333 (eu-west-1) is also environments/clusters/again.yaml; one EKS cluster has one entry',
    ]);
  });

  it('should refuse mixing the managed Argo CD of EKS Capabilities with a self-managed one', () => {
    put(
      'environments/clusters/prod.yaml',
      original('environments/clusters/prod.yaml').replace(
        'argocd:\n  name: prod-eks',
        'argocd: eks-capability',
      ),
    );
    refused([
      'environments/clusters/prod.yaml:8:9 argocd: "eks-capability" while environments/clusters/nonprod.yaml is reached by a self-managed Argo CD; one Argo CD delivers every environment, so every entry says "eks-capability" or none does',
    ]);
  });
});

describe('finding 3: AWS resources on a cluster without ACK', () => {
  it('should refuse an environment on a cluster entry that runs no ACK controllers', () => {
    put(
      'environments/clusters/bare.yaml',
      [
        'accountId: "444444444444"',
        'region: eu-west-1',
        'eksClusterName: bare',
        'oidcProvider: oidc.eks.eu-west-1.amazonaws.com/id/3123456789ABCDEF0123456789ABCDEF',
        'argocd: { name: bare }',
        'addons: { metricsServer: provided, prometheusOperator: provided }',
        '',
      ].join('\n'),
    );
    put('environments/alice.yaml', 'name: alice\ncluster: bare\nimage: { tag: "0.1.0" }\n');
    refused([
      'environments/alice.yaml:2:10 cluster: "bare" does not run the ACK controllers (environments/clusters/bare.yaml has no addons.ack), but its DynamoDB tables, IAM role and Pod Identity association are ACK objects; add addons.ack to the entry',
    ]);
  });
});

describe('finding 5: one IngressGroup, one ALB', () => {
  it('should refuse dev as HTTP only while staging redirects HTTP to HTTPS', () => {
    put(DEV, original(DEV).replace(/ {2}certificateArn: .*\n/, ''));
    refused([
      'environments/staging.yaml:16:19 ingress.certificateArn: IngressGroup "guestlist-nonprod" (shared with environments/dev.yaml): this environment wants HTTP 80 redirecting to HTTPS 443, dev wants HTTP 80 only (no certificateArn); one ALB has one set of listeners (ssl-redirect applies to the whole group): make them agree or use separate groups',
    ]);
  });

  it('should refuse other admitted sources or another scheme in the group', () => {
    put(
      STAGING,
      original(STAGING)
        .replace('sourceCidrs: [10.10.0.0/24, 10.10.1.0/24, 10.10.2.0/24]', 'sourceCidrs: [10.20.0.0/24]')
        .replace('scheme: internal', 'scheme: internet-facing'),
    );
    refused([
      'environments/staging.yaml:14:11 ingress.scheme: "internet-facing" in IngressGroup "guestlist-nonprod" (shared with environments/dev.yaml), where dev is "internal"; one ALB has one scheme',
      'environments/staging.yaml:18:16 ingress.sourceCidrs: [10.20.0.0/24] in IngressGroup "guestlist-nonprod" (shared with environments/dev.yaml), where dev admits [10.10.0.0/24, 10.10.1.0/24, 10.10.2.0/24]; one ALB has one set of subnets, so environments of a group admit the same sourceCidrs',
    ]);
  });

  it('should refuse two environments serving one host', () => {
    put(DEV, original(DEV).replace('host: guestlist.dev.example.com', 'host: guestlist.staging.example.com'));
    refused([
      'environments/staging.yaml:13:9 ingress.host: "guestlist.staging.example.com" is also the host of environments/dev.yaml; two environments cannot serve one host (the load balancer would send one\'s traffic to the other): give each its own',
    ]);
  });

  it('should refuse a group that spans clusters', () => {
    put(
      'environments/prod.yaml',
      original('environments/prod.yaml').replace(
        '  scheme: internet-facing',
        '  scheme: internet-facing\n  group: guestlist-nonprod',
      ),
    );
    refused([
      'environments/prod.yaml:28:10 ingress.group: IngressGroup "guestlist-nonprod" (shared with environments/dev.yaml) would span clusters "prod" and "nonprod"; a group is one ALB in one cluster: use another group name',
    ]);
  });
});

describe('an add-on version whose API the render does not use', () => {
  it('should refuse an External Secrets version that does not serve the ExternalSecret apiVersion rendered', () => {
    // Whichever version the render uses (v1beta1 until 0.17.0, v1 from 0.16.0), pin one that does not serve it.
    const rendered = parse(
      readFileSync(join(REPO, 'dist/staging/externalsecret-guestlist-api-tokens.yaml'), 'utf8'),
    );
    const [version, range] =
      rendered.apiVersion === 'external-secrets.io/v1beta1'
        ? ['0.17.0', 'before 0.17.0']
        : ['0.15.0', 'from 0.16.0'];
    put(NONPROD, original(NONPROD).replace(/externalSecrets: .*/, `externalSecrets: ${version}`));
    refused([
      `environments/clusters/nonprod.yaml:19:20 addons.externalSecrets: "${version}" does not serve ${rendered.apiVersion}, which environments/staging.yaml renders (served ${range}); pin a version that does`,
      `environments/clusters/nonprod.yaml:19:20 addons.externalSecrets: "${version}": synth checks external-secrets.io objects against the CRDs of external-secrets 2.10.0; pin 2.10.0, or read the CRDs of ${version} and update synth/src/render/crd-contracts.ts and its schema first`,
    ]);
  });

  it('should refuse an add-on release other than the one its CRD contract was read at', () => {
    put(
      NONPROD,
      original(NONPROD)
        .replace(/externalSecrets: .*/, 'externalSecrets: 2.11.0')
        .replace(/iam: .*/, 'iam: 1.7.0'),
    );
    refused([
      'environments/clusters/nonprod.yaml:19:20 addons.externalSecrets: "2.11.0": synth checks external-secrets.io objects against the CRDs of external-secrets 2.10.0; pin 2.10.0, or read the CRDs of 2.11.0 and update synth/src/render/crd-contracts.ts and its schema first',
      expect.stringMatching(
        /^environments\/clusters\/nonprod\.yaml:\d+:\d+ addons\.ack\.iam: "1\.7\.0": synth checks iam\.services\.k8s\.aws objects against the CRDs of iam-chart 1\.6\.1; /,
      ) as unknown as string,
    ]);
  });

  it('should refuse a kube-prometheus-stack other than the one whose Prometheus Operator CRDs were read', () => {
    put(NONPROD, original(NONPROD).replace(/prometheusOperator: .*/, 'prometheusOperator: 82.0.0'));
    refused([
      'environments/clusters/nonprod.yaml:21:23 addons.prometheusOperator: "82.0.0": synth checks monitoring.coreos.com objects against the CRDs of kube-prometheus-stack 81.4.5; pin 81.4.5, or read the CRDs of 82.0.0 and update synth/src/render/crd-contracts.ts and its schema first',
    ]);
  });
});

describe('EKS Capabilities: the managed Argo CD and ACK', () => {
  it('should target every cluster by its EKS cluster ARN, install no ACK, and keep Applications in a listed namespace', () => {
    written.push('dist-restore');
    for (const entry of ['nonprod', 'prod']) {
      const path = `environments/clusters/${entry}.yaml`;
      put(
        path,
        original(path)
          .replace(/^argocd:.*\n( {2}name: .*\n)?/m, 'argocd: eks-capability\n')
          .replace(/ {2}ack:\n( {4}.*\n)+/, '  ack: eks-capability\n'),
      );
    }
    const r = synth();
    expect([r.code, r.err]).toEqual([0, '']);
    const argocd = join(work, 'dist', 'argocd');
    const app = parse(readFileSync(join(argocd, 'application-guestlist-prod.yaml'), 'utf8'));
    expect(app.spec.destination).toEqual({
      server: 'arn:aws:eks:eu-west-1:333333333333:cluster/prod-eks',
      namespace: 'guestlist-prod',
    });
    const dev = parse(readFileSync(join(argocd, 'application-guestlist-dev.yaml'), 'utf8'));
    expect(dev.spec.destination.server).toBe('arn:aws:eks:eu-west-1:111111111111:cluster/guestlist-nonprod');
    const project = parse(readFileSync(join(argocd, 'appproject-guestlist-prod.yaml'), 'utf8'));
    expect(project.spec.sourceNamespaces).toEqual(['argocd']);
    // The add-on Applications (here the Role admission policies) live in the same namespace: their project lists it too.
    const addons = parse(readFileSync(join(argocd, 'appproject-platform-addons.yaml'), 'utf8'));
    expect(addons.spec.sourceNamespaces).toEqual(['argocd']);
    const files = readdirSync(argocd);
    expect(files.filter((f) => f.includes('-ack-'))).toEqual([]);
    expect(JSON.stringify(files.map((f) => readFileSync(join(argocd, f), 'utf8')))).not.toContain(
      'kubernetes.default.svc',
    );
    // The Roles are still guarded in the cluster: the managed ACK has no chart values to rely on.
    expect(files).toContain('application-addon-prod-iam-role-admission.yaml');
  });
});

describe('the old way of naming a cluster', () => {
  it('should say where the cluster entry is named now', () => {
    put(
      DEV,
      original(DEV).replace(
        'cluster: nonprod\n',
        'cluster:\n  server: https://kubernetes.default.svc\naws:\n  cluster: nonprod\n',
      ),
    );
    refused([
      'environments/dev.yaml:6:3 cluster: must name a cluster entry (environments/clusters/<entry>.yaml); how Argo CD reaches the cluster is written in the entry (argocd:)',
      'environments/dev.yaml:8:3 aws.cluster: has moved: name the cluster entry with the top-level key "cluster: <entry>" (environments/clusters/<entry>.yaml)',
    ]);
  });
});
