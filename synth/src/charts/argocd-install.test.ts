import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kustomize, REPO_ROOT, withTempCopy } from '../../test/argocd';
import { ARGOCD_NAMESPACE } from '../config';
import { readInstallPin } from '../config/argocd-install';
import type { K8sObject } from './k8s-object';

const PINNED =
  /^https:\/\/raw\.githubusercontent\.com\/argoproj\/argo-cd\/(v\d+\.\d+\.\d+|[0-9a-f]{40})\/manifests\/install\.yaml$/;

interface Kustomization {
  namespace: string;
  resources: string[];
  patches: { path: string }[];
}
const kustomization = parse(
  readFileSync(join(REPO_ROOT, 'argocd/install/kustomization.yaml'), 'utf8'),
) as Kustomization;
const remote = kustomization.resources.filter((r) => r.includes('://'));

// A small local stand-in for upstream's install.yaml: the objects our patches target, with upstream's
// names, no namespace (upstream relies on `-n argocd`) and upstream's own argocd-cm data.
const STAND_IN = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: applications.argoproj.io }
spec: { group: argoproj.io, names: { kind: Application, plural: applications }, scope: Namespaced, versions: [] }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: argocd-cm, labels: { app.kubernetes.io/name: argocd-cm, app.kubernetes.io/part-of: argocd } }
data:
  resource.exclusions: |
    - apiGroups: ['', discovery.k8s.io]
      kinds: [Endpoints, EndpointSlice]
---
apiVersion: v1
kind: ConfigMap
metadata: { name: argocd-rbac-cm, labels: { app.kubernetes.io/name: argocd-rbac-cm } }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: argocd-cmd-params-cm, labels: { app.kubernetes.io/name: argocd-cmd-params-cm } }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: argocd-application-controller }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: argocd-application-controller }
subjects: [{ kind: ServiceAccount, name: argocd-application-controller, namespace: argocd }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: argocd-server }
spec:
  selector: { matchLabels: { app.kubernetes.io/name: argocd-server } }
  template:
    metadata: { labels: { app.kubernetes.io/name: argocd-server } }
    spec: { containers: [{ name: argocd-server, image: quay.io/argoproj/argocd:stand-in }] }
`;

/** Builds argocd/install with the real kubectl kustomize, upstream's URL swapped for the stand-in. */
function buildWithStandIn(): K8sObject[] {
  return withTempCopy(['argocd/install'], (tmp) => {
    const dir = join(tmp, 'argocd/install');
    const file = join(dir, 'kustomization.yaml');
    writeFileSync(join(dir, 'upstream-stand-in.yaml'), STAND_IN);
    writeFileSync(file, readFileSync(file, 'utf8').replace(remote[0] ?? '<none>', 'upstream-stand-in.yaml'));
    return kustomize(dir);
  });
}

const find = (
  objs: K8sObject[],
  kind: string,
  name: string,
): K8sObject & { data?: Record<string, string> } => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`${kind}/${name} missing from the build`);
  return o;
};

describe('argocd/install/kustomization.yaml', () => {
  it('should reference exactly one remote resource: upstream install.yaml at an exact release tag or commit', () => {
    expect(remote).toHaveLength(1);
    expect(remote[0]).toMatch(PINNED);
  });

  it('should pin the version the README states', () => {
    const read = readInstallPin(readFileSync(join(REPO_ROOT, 'argocd/install/kustomization.yaml'), 'utf8'));
    const tag = 'pin' in read ? read.pin.tag : undefined;
    expect(tag).toMatch(/^v\d+\.\d+\.\d+$/);
    expect(readFileSync(join(REPO_ROOT, 'argocd/README.md'), 'utf8')).toContain(`Argo CD ${tag}`);
  });

  it('should install into the namespace every Application and AppProject uses', () => {
    expect(kustomization.namespace).toBe(ARGOCD_NAMESPACE);
  });

  it('should apply our patches on top of upstream (real kubectl kustomize, local stand-in for the URL)', () => {
    const objs = buildWithStandIn();
    const cm = find(objs, 'ConfigMap', 'argocd-cm');
    expect(cm.data?.['application.resourceTrackingMethod']).toBe('annotation');
    // The patch adds keys; upstream's own default exclusions must survive it.
    expect(cm.data?.['resource.exclusions']).toContain('EndpointSlice');
    expect(cm.metadata.labels).toEqual({
      'app.kubernetes.io/name': 'argocd-cm',
      'app.kubernetes.io/part-of': 'argocd',
    });
    expect(find(objs, 'ConfigMap', 'argocd-rbac-cm').data).toEqual({ 'policy.default': 'role:readonly' });
    expect(find(objs, 'ConfigMap', 'argocd-cmd-params-cm').data).toBeUndefined();
  });

  it('should create the argocd Namespace and put every namespaced object in it', () => {
    const objs = buildWithStandIn();
    expect(find(objs, 'Namespace', 'argocd').metadata.namespace).toBeUndefined();
    for (const o of objs.filter(
      (x) => !['Namespace', 'CustomResourceDefinition', 'ClusterRoleBinding'].includes(x.kind),
    )) {
      expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toBe('argocd');
    }
    const crb = find(objs, 'ClusterRoleBinding', 'argocd-application-controller') as K8sObject & {
      subjects: { namespace: string }[];
    };
    expect(crb.subjects[0]?.namespace).toBe('argocd');
  });

  it('should fail the build when a patch targets an object upstream does not have', () => {
    expect(() =>
      withTempCopy(['argocd/install'], (tmp) => {
        const dir = join(tmp, 'argocd/install');
        const file = join(dir, 'kustomization.yaml');
        writeFileSync(
          join(dir, 'upstream-stand-in.yaml'),
          STAND_IN.replace('name: argocd-rbac-cm', 'name: other'),
        );
        writeFileSync(
          file,
          readFileSync(file, 'utf8').replace(remote[0] ?? '<none>', 'upstream-stand-in.yaml'),
        );
        return kustomize(dir);
      }),
    ).toThrow(/argocd-rbac-cm/);
  });
});
