import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { AppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  directoryGlob,
  kustomize,
  REPO_ROOT,
  renderAll,
  rootAppProblems,
  withTempCopy,
} from '../../test/argocd';
import { loadRepoSettings } from '../config';
import { ArgocdBootstrapChart } from './argocd-bootstrap';
import type { K8sObject } from './k8s-object';

const FORK = 'https://github.com/someone-else/guestlist-fork.git';

const byKey = (objs: readonly K8sObject[]): Map<string, K8sObject> =>
  new Map(objs.map((o) => [`${o.kind}/${o.metadata.name}`, o]));

function expected(root: string): Map<string, K8sObject> {
  const chart = new ArgocdBootstrapChart(new App(), 'bootstrap', { repo: loadRepoSettings(root) });
  return byKey(chart.toJson() as K8sObject[]);
}

describe('argocd/ (root app and bootstrap project, built by the real kubectl kustomize)', () => {
  it('should build exactly what the bootstrap chart derives from argocd/repo.yaml', () => {
    expect(byKey(kustomize(join(REPO_ROOT, 'argocd')))).toEqual(expected(REPO_ROOT));
  });

  it('should keep argocd/repo.yaml itself out of the cluster', () => {
    expect(kustomize(join(REPO_ROOT, 'argocd')).map((o) => o.kind)).not.toContain('ConfigMap');
  });

  it('should validate every bootstrap object against the Argo CD CRD schemas', () => {
    for (const o of kustomize(join(REPO_ROOT, 'argocd'))) {
      const model = o.kind === 'Application' ? new Application(o as never) : new AppProject(o as never);
      expect(() => model.validate(), `${o.kind}/${o.metadata.name}`).not.toThrow();
    }
  });

  it('should point the root app at the Applications of dist/argocd in the bootstrap project, syncing automatically', () => {
    const root = byKey(kustomize(join(REPO_ROOT, 'argocd'))).get('Application/guestlist-root');
    expect(root).toMatchObject({
      metadata: { namespace: 'argocd' },
      spec: {
        project: 'guestlist-bootstrap',
        source: { path: 'dist/argocd', directory: { include: 'application-*.yaml' } },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'argocd' },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    });
  });

  it('should let the bootstrap project manage only Applications in argocd', () => {
    const project = byKey(kustomize(join(REPO_ROOT, 'argocd'))).get('AppProject/guestlist-bootstrap');
    expect(project?.spec).toMatchObject({
      destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'argocd' }],
      clusterResourceWhitelist: [],
      namespaceResourceWhitelist: [{ group: 'argoproj.io', kind: 'Application' }],
    });
    expect(JSON.stringify(project)).not.toContain('*');
  });

  it('should empty the default project so nothing can deploy through it', () => {
    const project = byKey(kustomize(join(REPO_ROOT, 'argocd'))).get('AppProject/default');
    expect(project?.spec).toEqual({ sourceRepos: [], destinations: [], clusterResourceWhitelist: [] });
  });
});

describe('pointing the repository at a fork', () => {
  it('should change the root app, the bootstrap project and every synthesized Application from one file', () => {
    withTempCopy(['argocd', 'environments'], (tmp) => {
      const file = join(tmp, 'argocd/repo.yaml');
      const text = readFileSync(file, 'utf8');
      writeFileSync(
        file,
        text
          .replace(loadRepoSettings(REPO_ROOT).repoURL, FORK)
          .replace('targetRevision: main', 'targetRevision: release'),
      );

      const built = byKey(kustomize(join(tmp, 'argocd')));
      expect(built).toEqual(expected(tmp));
      expect(built.get('Application/guestlist-root')?.spec).toMatchObject({
        source: { repoURL: FORK, targetRevision: 'release' },
      });
      expect(built.get('AppProject/guestlist-bootstrap')?.spec).toMatchObject({ sourceRepos: [FORK] });

      const argocd = renderAll(join(tmp, 'environments'), loadRepoSettings(tmp)).get('argocd') ?? [];
      // The add-ons come from their upstream chart registries, in their own project.
      for (const o of argocd
        .filter((x) => x.kind === 'Application' || x.kind === 'AppProject')
        .filter(
          (x) =>
            (x.metadata.labels as Record<string, string> | undefined)?.['app.kubernetes.io/part-of'] !==
              'platform-addons' && x.metadata.name !== 'platform-addons',
        )) {
        const spec = o.spec as {
          sourceRepos?: string[];
          source?: { repoURL: string; targetRevision: string };
        };
        if (o.kind === 'AppProject') expect(spec.sourceRepos).toEqual([FORK]);
        else expect(spec.source).toMatchObject({ repoURL: FORK, targetRevision: 'release' });
      }
    });
  });
});

/** `dist/argocd/` as the root app's repository checkout holds it: file name → objects. */
function distArgocd(root: string): Map<string, K8sObject[]> {
  const dir = join(root, 'dist', 'argocd');
  return new Map(
    readdirSync(dir)
      .sort()
      .map((f) => [
        f,
        parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJS() as K8sObject),
      ]),
  );
}

describe('review finding 6: a merge to dist/argocd/ cannot create or widen an AppProject', () => {
  it('should have the root app create only the Applications of dist/argocd/, never a project', () => {
    const files = distArgocd(REPO_ROOT);
    expect([...files.keys()]).toContain('appproject-guestlist-dev.yaml');
    expect(rootAppProblems(kustomize(join(REPO_ROOT, 'argocd')), files)).toEqual([]);
  });

  it('should report the bootstrap as it was before the fix (project allowed AppProject, root synced every file)', () => {
    withTempCopy(['argocd', 'dist/argocd'], (tmp) => {
      const project = join(tmp, 'argocd/bootstrap-project.yaml');
      writeFileSync(
        project,
        readFileSync(project, 'utf8').replace(
          '  namespaceResourceWhitelist:\n',
          '  namespaceResourceWhitelist:\n    - group: argoproj.io\n      kind: AppProject\n',
        ),
      );
      const root = join(tmp, 'argocd/root-app.yaml');
      writeFileSync(root, readFileSync(root, 'utf8').replace(/ {4}directory:\n {6}include: .*\n/, ''));
      expect(rootAppProblems(kustomize(join(tmp, 'argocd')), distArgocd(tmp))).toEqual([
        'AppProject guestlist-bootstrap lets the root app create AppProjects',
        'the root app syncs appproject-guestlist-dev.yaml (AppProject guestlist-dev)',
        'the root app syncs appproject-guestlist-prod.yaml (AppProject guestlist-prod)',
        'the root app syncs appproject-guestlist-staging.yaml (AppProject guestlist-staging)',
        'the root app syncs appproject-platform-addons.yaml (AppProject platform-addons)',
        'the root app syncs validatingadmissionpolicy-guestlist-iam-role-trust-nonprod.yaml (ValidatingAdmissionPolicy guestlist-iam-role-trust-nonprod), which guestlist-bootstrap refuses',
        'the root app syncs validatingadmissionpolicy-guestlist-iam-role-trust-prod.yaml (ValidatingAdmissionPolicy guestlist-iam-role-trust-prod), which guestlist-bootstrap refuses',
        'the root app syncs validatingadmissionpolicybinding-guestlist-iam-role-trust-nonprod.yaml (ValidatingAdmissionPolicyBinding guestlist-iam-role-trust-nonprod), which guestlist-bootstrap refuses',
        'the root app syncs validatingadmissionpolicybinding-guestlist-iam-role-trust-prod.yaml (ValidatingAdmissionPolicyBinding guestlist-iam-role-trust-prod), which guestlist-bootstrap refuses',
      ]);
    });
  });

  it('should report a project file that slips past the include glob, and a kind the project refuses', () => {
    const bootstrap = kustomize(join(REPO_ROOT, 'argocd'));
    const project = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'wide' } };
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r' } };
    expect(
      rootAppProblems(
        bootstrap,
        new Map([
          ['application-wide.yaml', [project as K8sObject]],
          ['application-role.yaml', [role as K8sObject]],
          ['appproject-x.yaml', [project as K8sObject]],
        ]),
      ),
    ).toEqual([
      'the root app syncs application-wide.yaml (AppProject wide)',
      'the root app syncs application-role.yaml (Role r), which guestlist-bootstrap refuses',
    ]);
  });

  it('should match Argo CD directory globs on file names', () => {
    const g = directoryGlob('application-*.yaml');
    expect(g.test('application-guestlist-dev.yaml')).toBe(true);
    expect(g.test('appproject-guestlist.yaml')).toBe(false);
    expect(g.test('sub/application-x.yaml')).toBe(false);
    expect(directoryGlob('{a,b?}.yaml').test('bc.yaml')).toBe(true);
    expect(() => directoryGlob('[ab].yaml')).toThrow(/character classes/);
  });
});
