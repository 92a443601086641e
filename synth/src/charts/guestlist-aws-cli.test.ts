// A new environment is one file: through the real CLI (the bundled synth as a process, as `npm run synth` runs
// it), `environments/alice.yaml` alone renders alice's tables, role and Pod Identity association, her Argo CD
// Application and her own Argo CD project (exactly her namespace), and nothing else changes: the other
// environments' projects stay byte-identical. Deleting the file removes
// exactly those again, and only through the deliberate removal path (a protected environment needs --allow-remove).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readTree } from '../../test/cli';
import { cliCommand } from '../../test/launcher';

const REPO = join(__dirname, '..', '..', '..');
const ALICE = [
  '# yaml-language-server: $schema=./schema.json',
  'name: alice',
  'protected: true',
  'image: { tag: "0.1.0" }',
  'cluster: prod',
  'aws: { identity: pod-identity }',
  '',
].join('\n');

let work: string;

function synth(...args: string[]) {
  const r = spawnSync(...cliCommand(...args), {
    cwd: work,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Every file under dist/ with its bytes. */
const tree = () => readTree(work);

/** Paths added, removed or changed between two trees. */
function changed(a: Record<string, string>, b: Record<string, string>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]).sort();
}

const read = (path: string) => parse(readFileSync(join(work, path), 'utf8'));

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'synth-aws-cli-'));
  for (const dir of ['environments', 'argocd', 'dist'])
    cpSync(join(REPO, dir), join(work, dir), { recursive: true });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('a new environment file through the real CLI, then its deliberate removal', () => {
  let before: Record<string, string>;
  let withAlice: Record<string, string>;

  it('should render its tables, role, association, Application and project, and leave the others unchanged', () => {
    before = tree();
    writeFileSync(join(work, 'environments', 'alice.yaml'), ALICE);
    const r = synth();
    expect([r.code, r.err]).toEqual([0, '']);
    withAlice = tree();
    const files = changed(before, withAlice);
    expect(files.filter((f) => !f.startsWith('dist/alice/'))).toEqual([
      'dist/argocd/application-guestlist-alice.yaml',
      'dist/argocd/appproject-guestlist-alice.yaml',
    ]);
    expect(files).toEqual(
      expect.arrayContaining([
        'dist/alice/table-guestlist.yaml',
        'dist/alice/table-guestlist-guards.yaml',
        'dist/alice/role-guestlist.yaml',
        'dist/alice/podidentityassociation-guestlist.yaml',
        'dist/alice/deployment-guestlist.yaml',
      ]),
    );
    // Names derived from the file name and the cluster entry; prod's own objects are not touched.
    expect(read('dist/alice/table-guestlist.yaml').spec.tableName).toBe('GuestList-alice');
    expect(read('dist/alice/table-guestlist-guards.yaml').spec.tableName).toBe('GuestList-alice-guards');
    const table = read('dist/alice/table-guestlist.yaml');
    expect(table.metadata.annotations['services.k8s.aws/deletion-policy']).toBe('retain');
    expect(table.spec.deletionProtectionEnabled).toBe(true);
    const role = read('dist/alice/role-guestlist.yaml');
    expect(role.spec.name).toBe('guestlist-alice');
    expect(
      JSON.parse(role.spec.inlinePolicies['guestlist-dynamodb']).Statement.map(
        (s: { Resource: string }) => s.Resource,
      ),
    ).toEqual([
      'arn:aws:dynamodb:eu-west-1:333333333333:table/GuestList-alice',
      'arn:aws:dynamodb:eu-west-1:333333333333:table/GuestList-alice-guards',
    ]);
    expect(read('dist/alice/podidentityassociation-guestlist.yaml').spec).toMatchObject({
      clusterName: 'prod-eks',
      namespace: 'guestlist-alice',
      serviceAccount: 'guestlist',
      roleARN: 'arn:aws:iam::333333333333:role/guestlist-alice',
    });
    const app = read('dist/argocd/application-guestlist-alice.yaml');
    expect(app.spec.source.path).toBe('dist/alice');
    expect(app.spec.destination.namespace).toBe('guestlist-alice');
    const project = read('dist/argocd/appproject-guestlist-alice.yaml');
    // The cluster its AWS resources name is the cluster Argo CD deploys it to: one entry says both.
    expect(app.spec.destination).toEqual({ name: 'prod-eks', namespace: 'guestlist-alice' });
    expect(project.spec.destinations).toEqual([{ name: 'prod-eks', namespace: 'guestlist-alice' }]);
    // Of the ACK groups, the project allows exactly the three kinds rendered, nothing wider.
    expect(
      project.spec.namespaceResourceWhitelist.filter((w: { group: string }) =>
        w.group.endsWith('.services.k8s.aws'),
      ),
    ).toEqual([
      { kind: 'Table', group: 'dynamodb.services.k8s.aws' },
      { kind: 'PodIdentityAssociation', group: 'eks.services.k8s.aws' },
      { kind: 'Role', group: 'iam.services.k8s.aws' },
    ]);
    expect(synth('--check').code).toBe(0);
  });

  it('should refuse to drop it when its file is deleted, until the removal is allowed, then remove exactly it', () => {
    rmSync(join(work, 'environments', 'alice.yaml'));
    const refused = synth();
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('environment "alice" is protected');
    expect(refused.err).toContain('pass --allow-remove alice');
    expect(tree()).toEqual(withAlice);
    // A subset run never removes an environment either.
    expect(synth('--env', 'dev').code).toBe(1);
    expect(tree()).toEqual(withAlice);
    const removed = synth('--allow-remove', 'alice');
    expect(removed.code).toBe(0);
    expect(removed.out).toContain('synth: removed environment "alice": dist/alice/');
    expect(tree()).toEqual(before);
    expect(synth('--check').code).toBe(0);
  });
});
