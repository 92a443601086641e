import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { AppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEnvironments, loadRepoSettings } from '../config';
import { destinationKey } from '../constructs/argo-destination';
import { environmentDestination } from './argocd';
import { apiGroup, kindsOf } from './argocd-kinds';
import { REPO_ROOT, type Rendered, renderAll, withTempCopy } from './argocd-test-support';
import { argocdChart } from './index';
import type { K8sObject } from './k8s-object';

interface Project extends K8sObject {
  spec: {
    sourceRepos: string[];
    destinations: { server?: string; name?: string; namespace: string }[];
    clusterResourceWhitelist: { group: string; kind: string }[];
    namespaceResourceWhitelist: { group: string; kind: string }[];
  };
}
interface App_ extends K8sObject {
  metadata: K8sObject['metadata'] & { finalizers?: string[] };
  spec: {
    project: string;
    source: { repoURL: string; targetRevision: string; path: string };
    destination: { server?: string; name?: string; namespace: string };
    syncPolicy: { automated?: { prune: boolean; selfHeal: boolean }; syncOptions: string[] };
  };
}

const repo = loadRepoSettings(REPO_ROOT);
const envNames = loadEnvironments(join(REPO_ROOT, 'environments')).map((e) => e.name);
let rendered: Rendered;
let project: Project;
let apps: App_[];

function split(objects: readonly K8sObject[]): { project: Project; apps: App_[] } {
  const projects = objects.filter((o) => o.kind === 'AppProject') as Project[];
  expect(projects).toHaveLength(1);
  return { project: projects[0] as Project, apps: objects.filter((o) => o.kind === 'Application') as App_[] };
}

const gk = (o: { apiVersion: string; kind: string }): string => `${apiGroup(o.apiVersion)}/${o.kind}`;

/** Whether the project permits a destination, matching namespaces as Argo CD does for a `prefix-*` glob. */
function permitted(p: Project, d: { server?: string; name?: string; namespace: string }): boolean {
  return p.spec.destinations.some(
    (a) =>
      (a.server !== undefined ? a.server === d.server : a.name === d.name) &&
      (a.namespace.endsWith('*')
        ? d.namespace.startsWith(a.namespace.slice(0, -1))
        : a.namespace === d.namespace),
  );
}

beforeAll(() => {
  rendered = renderAll();
  ({ project, apps } = split(rendered.get('argocd') ?? []));
});

describe('dist/argocd (rendered from the real environment files)', () => {
  it('should hold exactly one AppProject and one Application per environment, nothing else', () => {
    const objects = rendered.get('argocd') ?? [];
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'AppProject/guestlist',
      ...envNames.map((n) => `Application/guestlist-${n}`),
    ]);
  });

  it('should validate every object against the Argo CD CRD schemas', () => {
    expect(() => new AppProject(project as never).validate()).not.toThrow();
    for (const app of apps) expect(() => new Application(app as never).validate()).not.toThrow();
  });

  it('should reject an invalid Application in the schema check (the check can fail)', () => {
    const broken = { ...apps[0], spec: { ...apps[0]?.spec, destination: 'nowhere' } };
    expect(() => new Application(broken as never).validate()).toThrow(/destination/);
  });

  it('should allow only this repository, with no wildcard but the namespace pattern', () => {
    expect(project.spec.sourceRepos).toEqual([repo.repoURL]);
    const { destinations, ...rest } = project.spec;
    expect(JSON.stringify(rest)).not.toContain('*');
    for (const d of destinations) {
      expect(JSON.stringify({ ...d, namespace: undefined })).not.toContain('*');
      expect(d.namespace).toBe('guestlist-*');
    }
  });

  it('should allow guestlist-* on each distinct cluster of the environments, once, sorted', () => {
    const envs = loadEnvironments(join(REPO_ROOT, 'environments'));
    const clusters = [
      ...new Set(envs.map((e) => destinationKey({ ...environmentDestination(e), namespace: 'guestlist-*' }))),
    ].sort();
    expect(project.spec.destinations.map(destinationKey)).toEqual(clusters);
    // Today: dev and staging share the in-cluster server, prod has its own registered cluster.
    expect(project.spec.destinations).toEqual([
      { name: 'prod-eks', namespace: 'guestlist-*' },
      { server: 'https://kubernetes.default.svc', namespace: 'guestlist-*' },
    ]);
  });

  it('should allow Namespace as the only cluster-scoped kind', () => {
    expect(project.spec.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace' }]);
  });

  it('should whitelist exactly the kinds rendered into dist/<env>, no more and no fewer', () => {
    const allowed = new Set(
      [...project.spec.clusterResourceWhitelist, ...project.spec.namespaceResourceWhitelist].map(
        (k) => `${k.group}/${k.kind}`,
      ),
    );
    const renderedKinds = new Set<string>();
    for (const name of envNames) {
      for (const o of rendered.get(name) ?? []) {
        expect(allowed, `${o.kind} ${o.metadata.name} in dist/${name}`).toContain(gk(o));
        renderedKinds.add(gk(o));
      }
    }
    expect([...allowed].sort()).toEqual([...renderedKinds].sort());
  });

  it('should keep every rendered object inside its Application destination', () => {
    for (const app of apps) {
      const env = app.spec.source.path.replace(/^dist\//, '');
      const ns = app.spec.destination.namespace;
      for (const o of rendered.get(env) ?? []) {
        // Argo CD checks a Namespace object's name, and a namespaced object's namespace, against the project.
        const where = o.kind === 'Namespace' ? o.metadata.name : o.metadata.namespace;
        expect(where, `${o.kind} ${o.metadata.name} in dist/${env}`).toBe(ns);
      }
    }
  });

  it('should point every Application at dist/<env> of this repo in the guestlist project, never default', () => {
    for (const [i, app] of apps.entries()) {
      const env = envNames[i] ?? '';
      expect(app.metadata).toMatchObject({ name: `guestlist-${env}`, namespace: 'argocd' });
      expect(app.spec.project).toBe('guestlist');
      expect(app.spec.source).toEqual({
        repoURL: repo.repoURL,
        targetRevision: repo.targetRevision,
        path: `dist/${env}`,
      });
      // Exactly its own environment's destination, permitted by the project's pattern on its cluster.
      const env_ = loadEnvironments(join(REPO_ROOT, 'environments')).find((e) => e.name === env);
      expect(app.spec.destination).toEqual(env_ && environmentDestination(env_));
      expect(permitted(project, app.spec.destination)).toBe(true);
    }
  });

  it('should carry no resources finalizer, so deleting an Application never deletes an environment', () => {
    for (const app of apps) expect(app.metadata.finalizers).toBeUndefined();
  });

  it('should follow each environment file: prod syncs automatically with self-heal but no prune', () => {
    const byName = new Map(apps.map((a) => [a.metadata.name, a.spec.syncPolicy]));
    expect(byName.get('guestlist-dev')?.automated).toEqual({ prune: true, selfHeal: true });
    expect(byName.get('guestlist-prod')?.automated).toEqual({ prune: false, selfHeal: true });
    for (const policy of byName.values()) {
      expect(policy.syncOptions).toEqual([
        'PruneLast=true',
        'FailOnSharedResource=true',
        'ServerSideApply=true',
      ]);
      expect(policy.syncOptions.join()).not.toContain('CreateNamespace');
    }
  });
});

const ALICE = [
  '# yaml-language-server: $schema=./schema.json',
  'name: alice',
  'cluster: nonprod',
  'image:',
  '  tag: "0.1.0"',
  'aws:',
  '  roleArn: arn:aws:iam::111111111111:role/guestlist-alice',
  'sync:',
  '  automated: false',
  '',
].join('\n');

describe('adding an environment file', () => {
  it('should give a personal environment its own Application, and leave the project unchanged', () => {
    withTempCopy(['environments'], (tmp) => {
      writeFileSync(join(tmp, 'environments', 'alice.yaml'), ALICE);
      const { project: p, apps: a } = split(renderAll(join(tmp, 'environments')).get('argocd') ?? []);
      const alice = a.find((x) => x.metadata.name === 'guestlist-alice');
      expect(alice?.spec.source.path).toBe('dist/alice');
      expect(alice?.spec.destination).toEqual({
        server: 'https://kubernetes.default.svc',
        namespace: 'guestlist-alice',
      });
      // sync.automated: false leaves syncing to a person, with the same options and retry.
      expect(alice?.spec.syncPolicy.automated).toBeUndefined();
      expect(alice?.spec.syncPolicy.syncOptions).toContain('PruneLast=true');
      // No administrator step: the project is the one already applied, and it permits alice's namespace.
      expect(p).toEqual(project);
      expect(permitted(p, alice?.spec.destination ?? { namespace: '' })).toBe(true);
      expect(a).toHaveLength(envNames.length + 1);
    });
  });

  it('should leave the project unchanged when an environment is removed, unless its cluster goes too', () => {
    withTempCopy(['environments'], (tmp) => {
      rmSync(join(tmp, 'environments', 'staging.yaml'));
      // prod promotes from staging; point it at dev so the set stays valid.
      const prodFile = join(tmp, 'environments', 'prod.yaml');
      writeFileSync(prodFile, readFileSync(prodFile, 'utf8').replace('from: staging', 'from: dev'));
      expect(split(renderAll(join(tmp, 'environments')).get('argocd') ?? []).project).toEqual(project);
      // The last environment on the in-cluster server goes: that cluster leaves the project.
      rmSync(join(tmp, 'environments', 'dev.yaml'));
      writeFileSync(prodFile, readFileSync(prodFile, 'utf8').replace(/promotion:\n {2}from: dev\n/, ''));
      expect(
        split(renderAll(join(tmp, 'environments')).get('argocd') ?? []).project.spec.destinations,
      ).toEqual([{ name: 'prod-eks', namespace: 'guestlist-*' }]);
    });
  });

  it('should add a destination only for a new cluster', () => {
    withTempCopy(['environments'], (tmp) => {
      const nonprod = readFileSync(join(tmp, 'environments', 'clusters', 'nonprod.yaml'), 'utf8');
      writeFileSync(
        join(tmp, 'environments', 'clusters', 'alice.yaml'),
        nonprod
          .replace('argocd: in-cluster', 'argocd: { name: alice }')
          .replace('guestlist-nonprod', 'guestlist-alice'),
      );
      writeFileSync(
        join(tmp, 'environments', 'alice.yaml'),
        ALICE.replace('cluster: nonprod', 'cluster: alice'),
      );
      const { project: p } = split(renderAll(join(tmp, 'environments')).get('argocd') ?? []);
      expect(p.spec.destinations).toEqual([
        { name: 'alice', namespace: 'guestlist-*' },
        { name: 'prod-eks', namespace: 'guestlist-*' },
        { server: 'https://kubernetes.default.svc', namespace: 'guestlist-*' },
      ]);
      expect({ ...p, spec: { ...p.spec, destinations: [] } }).toEqual({
        ...project,
        spec: { ...project.spec, destinations: [] },
      });
    });
  });

  it('should keep a namespace set by hand inside guestlist-*, naming file, key and value', () => {
    withTempCopy(['environments'], (tmp) => {
      for (const ns of ['kube-system', 'argocd', 'guestlistx', 'guestlist-']) {
        writeFileSync(join(tmp, 'environments', 'alice.yaml'), `${ALICE}namespace: ${ns}\n`);
        expect(() => renderAll(join(tmp, 'environments'))).toThrow(
          `environments/alice.yaml:10:12 namespace: "${ns}" must be "guestlist-" then a DNS label: the Argo CD project deploys only to namespaces guestlist-*`,
        );
      }
      writeFileSync(join(tmp, 'environments', 'alice.yaml'), `${ALICE}namespace: guestlist-alice-2\n`);
      const { project: p, apps: a } = split(renderAll(join(tmp, 'environments')).get('argocd') ?? []);
      const alice = a.find((x) => x.metadata.name === 'guestlist-alice');
      expect(alice?.spec.destination.namespace).toBe('guestlist-alice-2');
      expect(p).toEqual(project);
    });
  });

  it('should refuse two environments with the same destination, naming the file', () => {
    withTempCopy(['environments'], (tmp) => {
      const dev = readFileSync(join(tmp, 'environments', 'dev.yaml'), 'utf8');
      writeFileSync(
        join(tmp, 'environments', 'dev2.yaml'),
        `${dev.replace('name: dev', 'name: dev2')}namespace: guestlist-dev\n`,
      );
      expect(() => renderAll(join(tmp, 'environments'))).toThrow(
        'environments/dev2.yaml:25:12 namespace: "guestlist-dev" on server https://kubernetes.default.svc (cluster entry "nonprod") is also the destination of environments/dev.yaml; each environment needs its own namespace',
      );
    });
  });

  it('should refuse an environment named argocd (that folder is dist/argocd)', () => {
    withTempCopy([], (tmp) => {
      mkdirSync(join(tmp, 'environments'));
      writeFileSync(
        join(tmp, 'environments', 'argocd.yaml'),
        'name: argocd\nimage:\n  tag: "0.1.0"\naws:\n  roleArn: arn:aws:iam::111111111111:role/x\n',
      );
      expect(() => renderAll(join(tmp, 'environments'))).toThrow(
        'environments/argocd.yaml:1:7 name: "argocd" is reserved for dist/argocd/; pick another environment name',
      );
    });
  });
});

describe('argocdChart', () => {
  it('should refuse an environment whose namespace lies outside guestlist-* (guard for other callers)', () => {
    const env = loadEnvironments(join(REPO_ROOT, 'environments'))[0];
    if (env === undefined) throw new Error('no environment files');
    const kinds = kindsOf([
      { apiVersion: 'v1', kind: 'Namespace' },
      { apiVersion: 'v1', kind: 'Service' },
    ]);
    for (const namespace of ['kube-system', 'guestlist-', 'guestlist']) {
      expect(() => argocdChart([{ environment: { ...env, namespace }, kinds }], repo)).toThrow(
        `${env.source}: namespace "${namespace}" is outside guestlist-*, the namespaces the guestlist project may deploy to`,
      );
    }
  });

  it('should refuse a service chart that renders a cluster-scoped kind other than Namespace', () => {
    const env = loadEnvironments(join(REPO_ROOT, 'environments'))[0];
    if (env === undefined) throw new Error('no environment files');
    const kinds = kindsOf([{ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' }]);
    expect(() => argocdChart([{ environment: env, kinds }], repo)).toThrow(
      `dist/${env.name}: renders cluster-scoped kind ClusterRole.rbac.authorization.k8s.io; a service project allows only Namespace`,
    );
  });
});
