import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ArgoApplication, type ArgoApplicationProps } from './argo-application';

const props: ArgoApplicationProps = {
  name: 'guestlist-dev',
  namespace: 'argocd',
  project: 'guestlist',
  repoURL: 'https://git.example.com/guestlist.git',
  targetRevision: 'main',
  path: 'dist/dev',
  destination: { server: 'https://kubernetes.default.svc', namespace: 'guestlist-dev' },
  sync: { automated: true, prune: true, selfHeal: false },
};

function synth(p: ArgoApplicationProps): Record<string, unknown> {
  const chart = Testing.chart();
  new ArgoApplication(chart, 'app', p);
  return Testing.synth(chart)[0] as Record<string, unknown>;
}

describe('ArgoApplication', () => {
  it('should render one valid Application with sync options, retry and no finalizer', () => {
    const app = synth(props);
    expect(app).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: 'guestlist-dev',
        namespace: 'argocd',
        annotations: { 'argocd.argoproj.io/compare-options': 'ServerSideDiff=true' },
      },
      spec: {
        project: 'guestlist',
        source: {
          repoURL: 'https://git.example.com/guestlist.git',
          targetRevision: 'main',
          path: 'dist/dev',
        },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'guestlist-dev' },
        syncPolicy: {
          automated: { prune: true, selfHeal: false },
          syncOptions: ['PruneLast=true', 'FailOnSharedResource=true', 'ServerSideApply=true'],
          retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
        },
      },
    });
    expect(() => new Application(app as never).validate()).not.toThrow();
  });

  it('should leave out automated when the environment syncs by hand', () => {
    const app = synth({ ...props, sync: { automated: false, prune: true, selfHeal: true } });
    expect((app.spec as { syncPolicy: object }).syncPolicy).not.toHaveProperty('automated');
  });

  it('should address a named cluster by name only', () => {
    const app = synth({ ...props, destination: { name: 'prod-eks', namespace: 'guestlist-prod' } });
    expect((app.spec as { destination: object }).destination).toEqual({
      name: 'prod-eks',
      namespace: 'guestlist-prod',
    });
  });

  it('should read only the included files of the path when include is given', () => {
    const app = synth({ ...props, include: 'application-*.yaml' });
    expect((app.spec as { source: object }).source).toMatchObject({
      path: 'dist/dev',
      directory: { include: 'application-*.yaml' },
    });
    expect(() => new Application(app as never).validate()).not.toThrow();
  });

  it('should refuse the default project', () => {
    expect(() => synth({ ...props, project: 'default' })).toThrow(
      `Application 'guestlist-dev': project "default" is not allowed; use a locked-down project`,
    );
  });
});
