// "No permanent drift, at render time": the committed dist/ against the CRD defaults of the releases we checked,
// and the mechanism itself on objects that do drift.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACK_SCHEMAS } from './ack-schemas';
import { CRD_CONTRACTS, type CrdContract, isBuiltIn } from './crd-contracts';
import { applyCrdDefaults } from './crd-defaults';
import {
  type ApplicationLike,
  comparesServerSide,
  driftProblems,
  type IgnoreDifference,
  type RenderedFile,
} from './drift-check';
import { EXTERNAL_SECRET_SCHEMAS } from './external-secret-schema';
import { IAM_ROLE_SELECTOR_SCHEMAS } from './iam-role-selector-schema';
import { PROMETHEUS_SCHEMAS } from './prometheus-schemas';
import { SCHEMA_KINDS } from './schema-kinds';

const ROOT = join(__dirname, '..', '..', '..');

/** Every file of dist/, and the Applications that sync them: dist/argocd's and the root app of argocd/. */
function committed(): { files: RenderedFile[]; apps: ReturnType<typeof parse>[] } {
  const files: RenderedFile[] = [];
  for (const env of readdirSync(join(ROOT, 'dist')).sort()) {
    for (const file of readdirSync(join(ROOT, 'dist', env)).sort()) {
      files.push({
        folder: `dist/${env}`,
        file,
        obj: parse(readFileSync(join(ROOT, 'dist', env, file), 'utf8')),
      });
    }
  }
  const apps = [
    ...files.filter((f) => f.obj.kind === 'Application').map((f) => f.obj),
    parse(readFileSync(join(ROOT, 'argocd', 'root-app.yaml'), 'utf8')),
  ];
  return { files, apps };
}

const externalSecret = (spec: Record<string, unknown>): RenderedFile => ({
  folder: 'dist/dev',
  file: 'externalsecret-x.yaml',
  obj: { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'x' }, spec },
});
const app = (
  extra: { annotations?: Record<string, string>; ignoreDifferences?: IgnoreDifference[] } = {},
): ApplicationLike => ({
  metadata: { name: 'guestlist-dev', ...(extra.annotations && { annotations: extra.annotations }) },
  spec: {
    source: { path: 'dist/dev' },
    ...(extra.ignoreDifferences && { ignoreDifferences: extra.ignoreDifferences }),
  },
});
// The remote-ref defaults ESO v0.17 to v2.8 declared (removed in v2.9.0): test data for the mechanism only.
const OLDER_ESO: Record<string, CrdContract> = {
  'external-secrets.io/v1/ExternalSecret': {
    release: 'ESO v2.8.0',
    defaults: [
      { path: 'spec.data[].remoteRef.conversionStrategy', value: 'Default' },
      { path: 'spec.data[].remoteRef.decodingStrategy', value: 'None' },
      { path: 'spec.data[].remoteRef.metadataPolicy', value: 'None' },
    ],
  },
};

describe('no permanent drift, at render time', () => {
  it('should find no field a checked CRD defaults that Argo CD would report, in any committed file', () => {
    const { files, apps } = committed();
    expect(files.filter((f) => CRD_CONTRACTS[`${f.obj.apiVersion}/${f.obj.kind}`]).length).toBeGreaterThan(
      10,
    );
    expect(driftProblems(files, apps)).toEqual([]);
  });

  it('should record the checked release of every custom kind the schema gate knows', () => {
    const custom = [
      ...Object.keys(SCHEMA_KINDS).filter((k) => !isBuiltIn(k.split('/').slice(0, -1).join('/'))),
      ...Object.keys(ACK_SCHEMAS),
      ...Object.keys(IAM_ROLE_SELECTOR_SCHEMAS),
      ...Object.keys(EXTERNAL_SECRET_SCHEMAS),
      ...Object.keys(PROMETHEUS_SCHEMAS),
    ];
    expect(Object.keys(CRD_CONTRACTS).sort()).toEqual(custom.sort());
  });

  it('should have every Application synth renders, and the root app, compare server-side (finding 2)', () => {
    const { apps } = committed();
    expect(apps.length).toBeGreaterThanOrEqual(4);
    expect(apps.filter((a) => !comparesServerSide(a)).map((a) => a.metadata.name)).toEqual([]);
  });

  it('should report each defaulted field left out, unless the Application compares server-side', () => {
    const bare = externalSecret({
      secretStoreRef: { name: 's' },
      data: [{ secretKey: 'k', remoteRef: { key: 'r' } }],
    });
    expect(driftProblems([bare], [app()])).toEqual(
      ['/spec/refreshInterval', '/spec/target'].map(
        (p) =>
          `dist/dev/externalsecret-x.yaml: ${p} is defaulted by External Secrets Operator v2.10.0 (chart external-secrets 2.10.0) but not rendered, and Application "guestlist-dev" neither compares server-side nor ignores it: OutOfSync forever`,
      ),
    );
    // The object default sets both policies; with a target rendered, each missing policy is its own field.
    const withTarget = externalSecret({ refreshInterval: '1h', target: { name: 'x' } });
    expect(driftProblems([withTarget], [app()]).map((p) => p.split(' ')[1])).toEqual([
      '/spec/target/creationPolicy',
      '/spec/target/deletionPolicy',
    ]);
    expect(
      driftProblems(
        [bare],
        [
          app({
            annotations: {
              'argocd.argoproj.io/compare-options': 'IncludeMutationWebhook=true,ServerSideDiff=true',
            },
          }),
        ],
      ),
    ).toEqual([]);
  });

  it('should catch the release-dependent remote-ref defaults that made ExternalSecrets OutOfSync, and let ignoreDifferences cover them', () => {
    const rendered = externalSecret({ data: [{ secretKey: 'k', remoteRef: { key: 'r' } }] });
    expect(driftProblems([rendered], [app()], OLDER_ESO)).toHaveLength(3);
    const ignoring = app({
      ignoreDifferences: [
        { group: 'external-secrets.io', kind: 'ExternalSecret', jsonPointers: ['/spec/data'] },
      ],
    });
    expect(driftProblems([rendered], [ignoring], OLDER_ESO)).toEqual([]);
  });

  it('should refuse a custom kind no checked release serves (the v1beta1 ExternalSecret, finding 1)', () => {
    const old: RenderedFile = {
      ...externalSecret({}),
      obj: { ...externalSecret({}).obj, apiVersion: 'external-secrets.io/v1beta1' },
    };
    expect(driftProblems([old], [app()])).toEqual([
      'dist/dev/externalsecret-x.yaml: external-secrets.io/v1beta1/ExternalSecret is served by no release we checked (crd-contracts.ts)',
    ]);
  });

  it('should let only a server-side comparing Application sync a kind whose defaults are not recorded', () => {
    const child: RenderedFile = {
      folder: 'dist/dev',
      file: 'application-x.yaml',
      obj: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'x' } },
    };
    expect(driftProblems([child], [app()])).toEqual([
      'dist/dev/application-x.yaml: the defaults of argoproj.io/v1alpha1/Application at Argo CD v3.6.2 are not recorded (crd-contracts.ts), so Application "guestlist-dev" must compare server-side',
    ]);
  });

  it('should leave built-in kinds and files no Application syncs alone', () => {
    const configMap: RenderedFile = {
      folder: 'dist/dev',
      file: 'configmap-x.yaml',
      obj: { apiVersion: 'v1', kind: 'ConfigMap' },
    };
    const project: RenderedFile = {
      folder: 'dist/argocd',
      file: 'appproject-x.yaml',
      obj: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Nope' },
    };
    expect(driftProblems([configMap, project], [app()])).toEqual([]);
  });

  it('should find no drift in the IAMRoleSelector of a managed-ACK hub: its CRD declares no default', () => {
    // Not in the committed sample (ack-hub-managed-cli.test.ts renders it); here the object synth renders.
    const selector: RenderedFile = {
      folder: 'dist/argocd',
      file: 'iamroleselector-guestlist-prod-aws.yaml',
      obj: {
        apiVersion: 'services.k8s.aws/v1alpha1',
        kind: 'IAMRoleSelector',
        metadata: { name: 'guestlist-prod-aws' },
        spec: {
          arn: 'arn:aws:iam::333333333333:role/ack-hub-access',
          namespaceSelector: { names: ['guestlist-prod-aws'] },
        },
      },
    };
    expect(CRD_CONTRACTS['services.k8s.aws/v1alpha1/IAMRoleSelector']?.defaults).toEqual([]);
    expect(driftProblems([selector], [app()])).toEqual([]);
  });

  it('should default like the API server: outer objects first, list items each, present fields kept', () => {
    const obj = { spec: { data: [{ remoteRef: {} }, { remoteRef: { conversionStrategy: 'Unicode' } }] } };
    const set = applyCrdDefaults(obj, [
      { path: 'spec.data[].remoteRef.conversionStrategy', value: 'Default' },
      { path: 'spec.target.deletionPolicy', value: 'Retain' },
      { path: 'spec.target', value: {} },
    ]);
    expect(set).toEqual([
      '/spec/target',
      '/spec/target/deletionPolicy',
      '/spec/data/0/remoteRef/conversionStrategy',
    ]);
    expect(obj.spec.data[1]?.remoteRef).toEqual({ conversionStrategy: 'Unicode' });
  });
});
