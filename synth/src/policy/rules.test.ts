import { describe, expect, it } from 'vitest';
import { cleanObjects, container, environment, find } from '../../test/policy-fixtures';
import { imageDigest, imageTag } from './image';
import { formatViolation, RULES, runPolicy } from './index';
import { networkPolicy } from './network-policy';
import { noAwsKeys } from './no-aws-keys';
import { podSecurityRestricted } from './pod-security';
import { probes } from './probes';
import { resources } from './resources';
import { hpa, pdb } from './scaling';
import { selectors } from './selectors';

describe('policy rules', () => {
  it('should pass the web-service objects under every rule', () => {
    const objects = cleanObjects();
    expect(runPolicy(objects, environment({ requireDigest: true })).violations).toEqual([]);
    expect(RULES.map((r) => r.id)).toEqual([
      'pod-security-restricted',
      'probes',
      'resources',
      'image-tag',
      'image-digest',
      'selectors',
      'hpa',
      'pdb',
      'no-aws-keys',
      'network-policy',
      'identity-egress',
      'referenced-objects',
      'source-ranges',
      'shutdown-timing',
      'tokens-over-https',
      'aws-least-privilege',
      'aws-trust',
      'aws-retain',
      'aws-own-resources',
    ]);
  });

  it('should fail pod-security-restricted for escalation, root, capabilities, seccomp and writable root', () => {
    const objects = cleanObjects();
    const c = container(objects);
    c.securityContext = { runAsNonRoot: false, capabilities: { add: ['SYS_ADMIN'] } };
    delete find(objects, 'Deployment').spec.template.spec.securityContext.seccompProfile;
    find(objects, 'Deployment').spec.template.spec.hostNetwork = true;
    expect(podSecurityRestricted.check({ objects }).map((v) => v.message)).toEqual([
      'pod sets hostNetwork: true (host namespaces are not allowed)',
      'container "web" securityContext.allowPrivilegeEscalation is undefined (must be false)',
      'container "web" does not set runAsNonRoot: true',
      'container "web" securityContext.capabilities.drop does not include "ALL"',
      'container "web" adds capability "SYS_ADMIN" (only NET_BIND_SERVICE is allowed)',
      'container "web" seccompProfile.type is null (must be RuntimeDefault or Localhost)',
      'container "web" securityContext.readOnlyRootFilesystem is not true',
    ]);
  });

  it('should fail probes when one is missing or on an undeclared port', () => {
    const objects = cleanObjects();
    const c = container(objects);
    delete c.startupProbe;
    c.readinessProbe.httpGet.port = 9999;
    expect(probes.check({ objects })).toEqual([
      {
        rule: 'probes',
        object: 'Deployment/web',
        message: 'container "web" readinessProbe uses port 9999, which the container does not declare',
      },
      { rule: 'probes', object: 'Deployment/web', message: 'container "web" has no startupProbe' },
    ]);
  });

  it('should fail resources without requests or a memory limit and name the key', () => {
    const objects = cleanObjects();
    container(objects).resources = { requests: { cpu: '100m' } };
    expect(resources.check({ objects }).map((v) => `${v.message} -> ${v.key}`)).toEqual([
      'container "web" has no requests.memory -> resources.requests.memory',
      'container "web" has no limits.memory -> resources.limits.memory',
    ]);
  });

  it('should fail image-tag for latest, a missing tag and a tag outside the pattern', () => {
    const messages = [
      'registry.example.com/web:latest',
      'registry.example.com:5000/web',
      'web:feature-x',
    ].map((image) => {
      const objects = cleanObjects();
      container(objects).image = image;
      return imageTag.check({ objects, environment: environment() }).map((v) => `${v.message} -> ${v.key}`);
    });
    expect(messages).toEqual([
      ['container "web" image "registry.example.com/web:latest" uses the tag "latest" -> image.tag'],
      ['container "web" image "registry.example.com:5000/web" has no tag -> image.tag'],
      [
        'container "web" image tag "feature-x" does not match imagePolicy.allowedTags /^[0-9]+\\.[0-9]+\\.[0-9]+$/ -> image.tag',
      ],
    ]);
  });

  it('should fail image-digest only where the environment requires a digest', () => {
    const objects = cleanObjects();
    container(objects).image = 'registry.example.com/web:1.0.0';
    expect(imageDigest.check({ objects, environment: environment({ requireDigest: false }) })).toEqual([]);
    expect(imageDigest.check({ objects, environment: environment({ requireDigest: true }) })).toEqual([
      {
        rule: 'image-digest',
        object: 'Deployment/web',
        message:
          'container "web" image "registry.example.com/web:1.0.0" is not pinned by digest, but imagePolicy.requireDigest is true',
        key: 'image.digest',
      },
    ]);
  });

  it('should fail selectors that match no pods', () => {
    const objects = cleanObjects();
    find(objects, 'Service').spec.selector = { app: 'webb' };
    find(objects, 'Deployment').spec.selector.matchLabels = { app: 'other' };
    expect(selectors.check({ objects }).map((v) => `${v.object}: ${v.message}`)).toEqual([
      'Deployment/web: selector {"app":"other"} does not match its pod labels {"app":"web"}',
      'Service/web: selector {"app":"webb"} matches the pod labels of no workload',
    ]);
  });

  it('should fail hpa for a missing target, min > max, and replicas set beside an HPA', () => {
    const objects = cleanObjects();
    find(objects, 'HorizontalPodAutoscaler').spec.minReplicas = 5;
    find(objects, 'Deployment').spec.replicas = 3;
    expect(hpa.check({ objects }).map((v) => `${v.object}: ${v.message} -> ${v.key}`)).toEqual([
      'Deployment/web: sets spec.replicas (3) although HorizontalPodAutoscaler/web owns the replica count -> autoscaling.enabled',
      'HorizontalPodAutoscaler/web: minReplicas (5) must be <= maxReplicas (4) -> autoscaling.minReplicas',
    ]);
    find(objects, 'HorizontalPodAutoscaler').spec.scaleTargetRef.name = 'ghost';
    expect(hpa.check({ objects }).map((v) => v.message)[0]).toBe(
      'scaleTargetRef Deployment/ghost is not an object of this environment',
    );
  });

  it('should fail pdb when it is missing or blocks every eviction at the HPA minimum', () => {
    const objects = cleanObjects();
    const budget = find(objects, 'PodDisruptionBudget');
    budget.spec = { minAvailable: 2, selector: budget.spec.selector };
    expect(pdb.check({ objects }).map((v) => `${v.object}: ${v.message} -> ${v.key}`)).toEqual([
      'PodDisruptionBudget/web: minAvailable (2) must be below the minimum replicas of Deployment/web (2), or no pod can ever be evicted -> autoscaling.minReplicas',
    ]);
    const without = cleanObjects().filter((o) => o.kind !== 'PodDisruptionBudget');
    expect(pdb.check({ objects: without }).map((v) => v.message)).toEqual([
      'no PodDisruptionBudget selects its pods',
    ]);
  });

  it('should fail no-aws-keys for key names and key values in env vars and ConfigMaps', () => {
    const objects = cleanObjects();
    container(objects).env = [
      { name: 'AWS_SECRET_ACCESS_KEY', value: 'x' },
      { name: 'SOMETHING', value: 'AKIAABCDEFGHIJKLMNOP' },
    ];
    find(objects, 'ConfigMap').data = { AWS_ACCESS_KEY_ID: 'x' };
    expect(noAwsKeys.check({ objects }).map((v) => `${v.object}: ${v.message} -> ${v.key}`)).toEqual([
      'Deployment/web: container "web" sets env var AWS_SECRET_ACCESS_KEY (static AWS credentials) -> aws.roleArn',
      'Deployment/web: container "web" env var SOMETHING holds an AWS access key id -> aws.roleArn',
      'ConfigMap/web: key AWS_ACCESS_KEY_ID holds static AWS credentials -> aws.roleArn',
    ]);
  });

  it('should fail network-policy when no policy selects the pods or egress is open', () => {
    const objects = cleanObjects();
    find(objects, 'NetworkPolicy').spec.policyTypes = ['Ingress'];
    expect(networkPolicy.check({ objects }).map((v) => v.message)).toEqual([
      'its NetworkPolicies cover policyTypes [Ingress], not both Ingress and Egress',
    ]);
    const without = cleanObjects().filter((o) => o.kind !== 'NetworkPolicy');
    expect(networkPolicy.check({ objects: without }).map((v) => v.message)).toEqual([
      'no NetworkPolicy selects its pods',
    ]);
  });

  it('should drop the violations of a waived rule and keep the rest', () => {
    const objects = cleanObjects();
    delete container(objects).startupProbe;
    container(objects).image = 'web:latest';
    const env = { ...environment(), waivers: [{ rule: 'probes', reason: 'batch job, no port' }] } as never;
    const result = runPolicy(objects, env);
    expect(result.violations.map((v) => v.rule)).toEqual(['image-tag']);
    expect(result.waived.map((v) => v.rule)).toEqual(['probes']);
  });

  it('should format a violation with the environment, object, rule and key', () => {
    const v = {
      rule: 'image-tag',
      object: 'Deployment/guestlist',
      message: 'uses "latest"',
      key: 'image.tag',
    } as const;
    expect(formatViolation(v, 'prod', 'environments/prod.yaml')).toBe(
      'prod: Deployment/guestlist [image-tag] uses "latest" (change image.tag in environments/prod.yaml)',
    );
    expect(formatViolation({ ...v, key: undefined }, 'prod', 'environments/prod.yaml')).toBe(
      'prod: Deployment/guestlist [image-tag] uses "latest" (no environment key controls this; fix the construct or add a waiver with a reason in environments/prod.yaml)',
    );
  });
});
