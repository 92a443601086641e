import { AppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ArgoAppProject, type ArgoAppProjectProps } from './argo-app-project';

const props: ArgoAppProjectProps = {
  name: 'guestlist',
  namespace: 'argocd',
  sourceRepos: ['https://git.example.com/guestlist.git'],
  destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'guestlist-dev' }],
  clusterResources: [{ group: '', kind: 'Namespace' }],
  namespaceResources: [{ group: 'apps', kind: 'Deployment' }],
};

function synth(p: ArgoAppProjectProps): Record<string, unknown> {
  const chart = Testing.chart();
  new ArgoAppProject(chart, 'project', p);
  return Testing.synth(chart)[0] as Record<string, unknown>;
}

describe('ArgoAppProject', () => {
  it('should render exactly the given repos, destinations and kinds as a valid AppProject', () => {
    const project = synth({ ...props, warnOrphans: true, syncWave: -1, description: 'd' });
    expect(project).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: {
        name: 'guestlist',
        namespace: 'argocd',
        annotations: { 'argocd.argoproj.io/sync-wave': '-1' },
      },
      spec: {
        description: 'd',
        sourceRepos: ['https://git.example.com/guestlist.git'],
        destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'guestlist-dev' }],
        clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
        namespaceResourceWhitelist: [{ group: 'apps', kind: 'Deployment' }],
        orphanedResources: { warn: true },
      },
    });
    expect(() => new AppProject(project as never).validate()).not.toThrow();
  });

  it('should allow no cluster-scoped kind by default', () => {
    const { clusterResources: _, ...rest } = props;
    expect((synth(rest).spec as { clusterResourceWhitelist: unknown }).clusterResourceWhitelist).toEqual([]);
  });

  it('should refuse a wildcard anywhere', () => {
    expect(() =>
      synth({ ...props, destinations: [{ server: 'https://kubernetes.default.svc', namespace: '*' }] }),
    ).toThrow(`AppProject 'guestlist': "*" contains "*"; list exact values`);
    expect(() => synth({ ...props, namespaceResources: [{ group: 'apps', kind: '*' }] })).toThrow(
      /contains "\*"/,
    );
    expect(() => synth({ ...props, sourceRepos: ['https://git.example.com/*'] })).toThrow(
      `AppProject 'guestlist': "https://git.example.com/*" contains "*"; list exact values`,
    );
  });

  it('should accept a destination namespace prefix pattern, and no other wildcard in a destination', () => {
    const destinations = [{ name: 'prod-eks', namespace: 'guestlist-*' }];
    const project = synth({ ...props, destinations });
    expect((project.spec as { destinations: unknown }).destinations).toEqual(destinations);
    expect(() => new AppProject(project as never).validate()).not.toThrow();
    for (const namespace of ['guestlist*', '*-dev', 'guest*list-', 'guestlist-*-x', '-*', 'Guestlist-*']) {
      expect(() => synth({ ...props, destinations: [{ name: 'prod-eks', namespace }] })).toThrow(
        `AppProject 'guestlist': ${JSON.stringify(namespace)} contains "*"; list exact values`,
      );
    }
    expect(() => synth({ ...props, destinations: [{ name: '*', namespace: 'guestlist-*' }] })).toThrow(
      `AppProject 'guestlist': "*" contains "*"; list exact values`,
    );
  });

  it('should refuse an empty namespaced whitelist, which Argo CD reads as "everything"', () => {
    expect(() => synth({ ...props, namespaceResources: [] })).toThrow(
      `AppProject 'guestlist': namespaceResources is empty; that would allow every kind`,
    );
  });
});
