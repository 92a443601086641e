// dist/argocd rendered from the real environment files: one AppProject and one Application per environment, each
// project allowing exactly its environment's destination, its own Namespace by name and its rendered kinds; and
// what adding, removing or breaking an environment file does to them.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { AppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, type Rendered, renderAll, withTempCopy } from '../../test/argocd';
import { loadEnvironments, loadRepoSettings } from '../config';
import { environmentDestination } from './argocd';
import { apiGroup, isClusterScoped, kindsOf } from './argocd-kinds';
import { argocdChart } from './index';
import type { K8sObject } from './k8s-object';

interface Project extends K8sObject {
  spec: {
    sourceRepos: string[];
    destinations: { server?: string; name?: string; namespace: string }[];
    clusterResourceWhitelist: { group: string; kind: string; name?: string }[];
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
let projects: Map<string, Project>;
let apps: App_[];

/** The environments' projects by name and their Applications (the add-ons' are checked elsewhere). */
function split(objects: readonly K8sObject[]): { projects: Map<string, Project>; apps: App_[] } {
  const ours = objects.filter(
    (o) =>
      (o.metadata.labels as Record<string, string> | undefined)?.['app.kubernetes.io/part-of'] !==
        'platform-addons' && o.metadata.name !== 'platform-addons',
  );
  return {
    projects: new Map(
      (ours.filter((o) => o.kind === 'AppProject') as Project[]).map((p) => [p.metadata.name, p]),
    ),
    apps: ours.filter((o) => o.kind === 'Application') as App_[],
  };
}

const gk = (o: { apiVersion: string; kind: string }): string => `${apiGroup(o.apiVersion)}/${o.kind}`;

/** Go's filepath.Match for the names we write (`*` within one segment), which Argo CD uses for whitelist names. */
const globMatch = (pattern: string, value: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '[^/]*')}$`).test(value);

/**
 * Whether Argo CD lets an Application of project `p`, deploying to `app`'s destination, manage `o`: a namespaced
 * object must be in a destination namespace of the project and of a whitelisted kind; a cluster-scoped one
 * (Argo CD checks no destination for it) must match a clusterResourceWhitelist entry, by name when it has one.
 */
function manages(p: Project, app: App_['spec']['destination'], o: K8sObject): boolean {
  const [group, kind] = [apiGroup(o.apiVersion), o.kind];
  if (isClusterScoped({ group, kind })) {
    return p.spec.clusterResourceWhitelist.some(
      (w) =>
        w.group === group &&
        w.kind === kind &&
        (w.name === undefined || w.name === '' || globMatch(w.name, o.metadata.name)),
    );
  }
  const namespace = o.metadata.namespace ?? app.namespace;
  const inDestination = p.spec.destinations.some(
    (d) =>
      (d.server !== undefined ? d.server === app.server : d.name === app.name) &&
      globMatch(d.namespace, namespace),
  );
  return inDestination && p.spec.namespaceResourceWhitelist.some((w) => w.group === group && w.kind === kind);
}

beforeAll(() => {
  rendered = renderAll();
  ({ projects, apps } = split(rendered.get('argocd') ?? []));
});

describe('dist/argocd (rendered from the real environment files)', () => {
  it('should hold one AppProject and one Application per environment, of the same name', () => {
    expect([...projects.keys()].sort()).toEqual(envNames.map((n) => `guestlist-${n}`));
    expect(apps.map((a) => a.metadata.name).sort()).toEqual(envNames.map((n) => `guestlist-${n}`));
    for (const app of apps) expect(app.spec.project).toBe(app.metadata.name);
  });

  it('should validate every object against the Argo CD CRD schemas', () => {
    for (const p of projects.values()) expect(() => new AppProject(p as never).validate()).not.toThrow();
    for (const app of apps) expect(() => new Application(app as never).validate()).not.toThrow();
  });

  it('should reject an invalid Application in the schema check (the check can fail)', () => {
    const broken = { ...apps[0], spec: { ...apps[0]?.spec, destination: 'nowhere' } };
    expect(() => new Application(broken as never).validate()).toThrow(/destination/);
  });

  it('should give each project exactly its environment: repository, destination, its own Namespace, its kinds', () => {
    for (const app of apps) {
      const env = app.spec.source.path.replace(/^dist\//, '');
      const p = projects.get(app.spec.project) as Project;
      expect(p.spec.sourceRepos).toEqual([repo.repoURL]);
      expect(p.spec.destinations).toEqual([app.spec.destination]);
      expect(p.spec.clusterResourceWhitelist).toEqual([
        { group: '', kind: 'Namespace', name: `guestlist-${env}` },
      ]);
      const objects = rendered.get(env) ?? [];
      const allowed = new Set(p.spec.namespaceResourceWhitelist.map((k) => `${k.group}/${k.kind}`));
      const used = new Set(objects.filter((o) => o.kind !== 'Namespace').map(gk));
      expect([...allowed].sort(), env).toEqual([...used].sort());
      expect(JSON.stringify(p.spec)).not.toContain('*');
      // Everything the environment renders is allowed to its own Application.
      for (const o of objects)
        expect(manages(p, app.spec.destination, o), `${o.kind}/${o.metadata.name}`).toBe(true);
    }
  });

  it("should not let dev's app manage guestlist-staging's Namespace, or anything in it (issue #22, item 3)", () => {
    const dev = apps.find((a) => a.metadata.name === 'guestlist-dev') as App_;
    const devProject = projects.get(dev.spec.project) as Project;
    const stagingObjects = rendered.get('staging') ?? [];
    const namespace = stagingObjects.find((o) => o.kind === 'Namespace') as K8sObject;
    expect(namespace.metadata.name).toBe('guestlist-staging');
    // dev and staging are on one cluster: the Namespace object is cluster-scoped, so only its name can stop it.
    expect(dev.spec.destination.server).toBe(
      (apps.find((a) => a.metadata.name === 'guestlist-staging') as App_).spec.destination.server,
    );
    expect(manages(devProject, dev.spec.destination, namespace)).toBe(false);
    for (const o of stagingObjects)
      expect(manages(devProject, dev.spec.destination, o), `${o.kind}`).toBe(false);
    // kube-system and Argo CD's own namespace neither.
    for (const name of ['kube-system', 'argocd', 'guestlist-prod']) {
      expect(
        manages(devProject, dev.spec.destination, {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name },
        }),
      ).toBe(false);
    }
    // The model can say yes: the same check on the old project (Namespace without a name, guestlist-*) allows it.
    const old: Project = {
      ...devProject,
      spec: {
        ...devProject.spec,
        destinations: [{ ...dev.spec.destination, namespace: 'guestlist-*' }],
        clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
      },
    };
    expect(manages(old, dev.spec.destination, namespace)).toBe(true);
  });

  it('should keep every rendered object inside its Application destination', () => {
    for (const app of apps) {
      const env = app.spec.source.path.replace(/^dist\//, '');
      const ns = app.spec.destination.namespace;
      for (const o of rendered.get(env) ?? []) {
        const where = o.kind === 'Namespace' ? o.metadata.name : o.metadata.namespace;
        expect(where, `${o.kind} ${o.metadata.name} in dist/${env}`).toBe(ns);
      }
    }
  });

  it("should give each Application exactly its environment's source and destination", () => {
    const envs = loadEnvironments(join(REPO_ROOT, 'environments'));
    for (const env of envNames) {
      const app = apps.find((a) => a.metadata.name === `guestlist-${env}`) as App_;
      expect(app.metadata).toMatchObject({ name: `guestlist-${env}`, namespace: 'argocd' });
      expect(app.spec.source).toEqual({
        repoURL: repo.repoURL,
        targetRevision: repo.targetRevision,
        path: `dist/${env}`,
      });
      const config = envs.find((e) => e.name === env);
      expect(app.spec.destination).toEqual(config && environmentDestination(config));
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
  it('should give it its own project and Application, leaving the other projects unchanged', () => {
    withTempCopy(['environments'], (tmp) => {
      writeFileSync(join(tmp, 'environments', 'alice.yaml'), ALICE);
      const { projects: p, apps: a } = split(renderAll(join(tmp, 'environments')).get('argocd') ?? []);
      const alice = a.find((x) => x.metadata.name === 'guestlist-alice');
      expect(alice?.spec.source.path).toBe('dist/alice');
      expect(alice?.spec.project).toBe('guestlist-alice');
      expect(alice?.spec.destination).toEqual({
        server: 'https://kubernetes.default.svc',
        namespace: 'guestlist-alice',
      });
      expect(alice?.spec.syncPolicy.automated).toBeUndefined();
      expect(p.get('guestlist-alice')?.spec.destinations).toEqual([alice?.spec.destination]);
      for (const [name, project] of projects) expect(p.get(name), name).toEqual(project);
      expect(a).toHaveLength(envNames.length + 1);
    });
  });

  it('should remove exactly its project and Application when its file goes', () => {
    withTempCopy(['environments'], (tmp) => {
      rmSync(join(tmp, 'environments', 'staging.yaml'));
      const prodFile = join(tmp, 'environments', 'prod.yaml');
      writeFileSync(prodFile, readFileSync(prodFile, 'utf8').replace('from: staging', 'from: dev'));
      const { projects: p } = split(renderAll(join(tmp, 'environments')).get('argocd') ?? []);
      expect([...p.keys()].sort()).toEqual(['guestlist-dev', 'guestlist-prod']);
      expect(p.get('guestlist-dev')).toEqual(projects.get('guestlist-dev'));
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
      const { projects: p, apps: a } = split(renderAll(join(tmp, 'environments')).get('argocd') ?? []);
      expect(a.find((x) => x.metadata.name === 'guestlist-alice')?.spec.destination.namespace).toBe(
        'guestlist-alice-2',
      );
      expect(p.get('guestlist-alice')?.spec.clusterResourceWhitelist).toEqual([
        { group: '', kind: 'Namespace', name: 'guestlist-alice-2' },
      ]);
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
    withTempCopy(['environments'], (tmp) => {
      writeFileSync(
        join(tmp, 'environments', 'argocd.yaml'),
        'name: argocd\ncluster: nonprod\nimage:\n  tag: "0.1.0"\n',
      );
      for (const f of ['dev.yaml', 'staging.yaml', 'prod.yaml']) rmSync(join(tmp, 'environments', f));
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
    for (const namespace of ['kube-system', 'guestlist']) {
      expect(() => argocdChart([{ environment: { ...env, namespace }, kinds }], repo)).toThrow(
        `${env.source}: namespace "${namespace}" is outside guestlist-*`,
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
