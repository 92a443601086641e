import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../charts/k8s-object';
import { runPolicy } from '../policy';
import { validateSchema } from '../render/schema-gate';
import { WebService } from './web-service';

describe('WebService', () => {
  it('should give a second service a complete, schema-valid and policy-clean set of objects in a few lines', () => {
    // The library claim: this is all a new service needs.
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop', disableResourceNameHashes: true });
    new WebService(chart, 'orders', {
      name: 'orders',
      image: 'registry.example.com/orders:2.3.4',
      port: 8080,
      env: { QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders' },
      autoscaling: { minReplicas: 2, maxReplicas: 6, targetCPUUtilizationPercentage: 75 },
    });

    const objects = chart.toJson() as K8sObject[];
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'ConfigMap/orders',
      'Deployment/orders',
      'HorizontalPodAutoscaler/orders',
      'NetworkPolicy/orders',
      'PodDisruptionBudget/orders',
      'Service/orders',
      'ServiceAccount/orders',
    ]);
    expect(objects.flatMap(validateSchema)).toEqual([]);
    expect(runPolicy(objects).violations).toEqual([]);
  });

  it('should set replicas only without autoscaling and take the grace period it is given', () => {
    const chart = Testing.chart();
    new WebService(chart, 'w', {
      name: 'w',
      image: 'w:1.0.0',
      replicas: 3,
      preStopSeconds: 5,
      gracePeriodSeconds: 40,
    });
    const objects = chart.toJson() as K8sObject[];
    const deployment = objects.find((o) => o.kind === 'Deployment') as unknown as {
      spec: { replicas: number; template: { spec: { terminationGracePeriodSeconds: number } } };
    };
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBe(40);
    expect(objects.some((o) => o.kind === 'HorizontalPodAutoscaler')).toBe(false);
  });

  it('should render no cdk8s address labels and stable names', () => {
    const chart = Testing.chart();
    new WebService(chart, 'w', { name: 'w', image: 'w:1.0.0' });
    const text = JSON.stringify(chart.toJson());
    expect(text).not.toContain('cdk8s.io/metadata.addr');
    expect(new Set((chart.toJson() as K8sObject[]).map((o) => o.metadata.name))).toEqual(new Set(['w']));
  });
});
