import { describe, expect, it } from 'vitest';
import { cleanObjects, container, environment, find } from '../../test/policy-fixtures';
import { isPlaceholderDigest } from '../domain/image-ref';
import { contains, parseAddress, parseCidr } from './cidr';
import { identityEgress } from './identity-egress';
import { imageDigest } from './image';
import { runPolicy } from './index';
import { referencedObjects } from './referenced-objects';
import { shutdownTiming } from './shutdown-timing';
import { sourceRanges } from './source-ranges';
import { tokensOverHttps } from './tokens-over-https';

const messages = (vs: { message: string; key?: string }[]) => vs.map((v) => `${v.message} -> ${v.key}`);
const podIdentityEgress = [
  { to: [{ ipBlock: { cidr: '169.254.170.23/32' } }], ports: [{ port: 80, protocol: 'TCP' }] },
  { to: [{ ipBlock: { cidr: 'fd00:ec2::23/128' } }], ports: [{ port: 80, protocol: 'TCP' }] },
];

describe('cidr', () => {
  it('should parse IPv4 and IPv6 networks and test containment', () => {
    const agent = parseAddress('169.254.170.23');
    expect(agent && contains(parseCidr('169.254.0.0/16') as never, agent)).toBe(true);
    expect(agent && contains(parseCidr('10.0.0.0/8') as never, agent)).toBe(false);
    const v6 = parseAddress('fd00:ec2::23');
    expect(v6 && contains(parseCidr('fd00::/8') as never, v6)).toBe(true);
    expect(v6 && contains(parseCidr('0.0.0.0/0') as never, v6)).toBe(false);
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(parseCidr('10.0.0/8')).toBeUndefined();
  });
});

describe('identity-egress', () => {
  it('should fail Pod Identity when egress allows only DNS and 443 (the finding), and pass with the agent', () => {
    const objects = cleanObjects();
    const env = environment({ identity: 'pod-identity' });
    expect(messages(identityEgress.check({ objects, environment: env }))).toEqual([
      'egress does not reach the EKS Pod Identity agent at 169.254.170.23/32 port 80, so aws.identity "pod-identity" gets no credentials -> aws.identity',
      'egress does not reach the EKS Pod Identity agent (IPv6) at fd00:ec2::23/128 port 80, so aws.identity "pod-identity" gets no credentials -> aws.identity',
    ]);
    find(objects, 'NetworkPolicy').spec.egress.push(...podIdentityEgress);
    expect(identityEgress.check({ objects, environment: env })).toEqual([]);
  });

  it('should honour except blocks and ports', () => {
    const objects = cleanObjects();
    find(objects, 'NetworkPolicy').spec.egress.push(
      { to: [{ ipBlock: { cidr: '169.254.0.0/16', except: ['169.254.170.0/24'] } }], ports: [{ port: 80 }] },
      { to: [{ ipBlock: { cidr: 'fd00:ec2::23/128' } }], ports: [{ port: 8080 }] },
    );
    expect(
      identityEgress.check({ objects, environment: environment({ identity: 'pod-identity' }) }),
    ).toHaveLength(2);
  });

  it('should fail IRSA when HTTPS egress to STS is gone', () => {
    const objects = cleanObjects();
    const np = find(objects, 'NetworkPolicy');
    np.spec.egress = np.spec.egress.filter((r: { to?: unknown }) => r.to !== undefined);
    expect(messages(identityEgress.check({ objects, environment: environment() }))).toEqual([
      'egress does not reach AWS STS (any address, HTTPS) at 0.0.0.0/0 port 443, so aws.identity "irsa" gets no credentials -> aws.identity',
    ]);
  });
});

describe('referenced-objects', () => {
  const withTokens = () => {
    const objects = cleanObjects();
    const spec = find(objects, 'Deployment').spec.template.spec;
    spec.volumes.push({ name: 'tokens', secret: { secretName: 'web-tokens' } });
    container(objects).env = [
      { name: 'X', valueFrom: { configMapKeyRef: { name: 'other', key: 'x', optional: true } } },
    ];
    return objects;
  };

  it('should fail a mounted Secret that nothing renders (the finding)', () => {
    expect(messages(referencedObjects.check({ objects: withTokens(), environment: environment() }))).toEqual([
      'pod mounts it as volume "tokens": Secret "web-tokens" is neither rendered in this environment nor declared external, so the pods cannot start -> auth.tokens',
    ]);
  });

  it('should pass when an ExternalSecret creates it, or the environment declares it external', () => {
    const objects = withTokens();
    expect(referencedObjects.check({ objects, environment: environment({ tokens: 'external' }) })).toEqual(
      [],
    );
    objects.push({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'tokens-source' },
      spec: { target: { name: 'web-tokens' } },
    });
    expect(referencedObjects.check({ objects, environment: environment() })).toEqual([]);
  });

  it('should check envFrom ConfigMaps too', () => {
    const objects = cleanObjects().filter((o) => o.kind !== 'ConfigMap');
    expect(messages(referencedObjects.check({ objects }))).toEqual([
      'pod container "web" reads it in envFrom: ConfigMap "web" is neither rendered in this environment nor declared external, so the pods cannot start -> undefined',
    ]);
  });
});

describe('source-ranges', () => {
  it('should fail 10.0.0.0/8 (the finding) and pass a /24 and a /16', () => {
    const objects = cleanObjects();
    find(objects, 'NetworkPolicy').spec.ingress[0].from = [
      { ipBlock: { cidr: '10.0.0.0/8' } },
      { ipBlock: { cidr: '10.20.0.0/16' } },
      { ipBlock: { cidr: '10.30.1.0/24' } },
    ];
    expect(messages(sourceRanges.check({ objects }))).toEqual([
      'ingress admits 10.0.0.0/8, wider than a /16 (with the VPC CNI that admits every pod in it) -> ingress.sourceCidrs',
    ]);
  });

  it('should be waivable with a reason', () => {
    const objects = cleanObjects();
    find(objects, 'NetworkPolicy').spec.ingress[0].from = [{ ipBlock: { cidr: '0.0.0.0/0' } }];
    const env = {
      ...environment(),
      waivers: [{ rule: 'source-ranges', reason: 'public NLB in instance mode' }],
    } as never;
    const result = runPolicy(objects, env);
    expect(result.violations).toEqual([]);
    expect(result.waived.map((v) => v.rule)).toEqual(['source-ranges']);
  });
});

describe('shutdown-timing', () => {
  it('should fail unrendered drain settings and the ALB default deregistration delay (the finding)', () => {
    const objects = cleanObjects();
    find(objects, 'ConfigMap').data = {};
    objects.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web', annotations: { 'alb.ingress.kubernetes.io/healthcheck-path': '/readyz' } },
    });
    expect(messages(shutdownTiming.check({ objects, environment: environment() }))).toEqual([
      'container "web" does not render SHUTDOWN_DRAIN_MS (the service would fall back to 3000) -> shutdown',
      'container "web" does not render SHUTDOWN_TIMEOUT_MS (the service would fall back to 20000) -> shutdown',
      "ALB deregistration delay 300 s (the default) exceeds the pods' terminationGracePeriodSeconds 30 -> shutdown",
      'ALB health check is not explicit: alb.ingress.kubernetes.io/healthcheck-interval-seconds, alb.ingress.kubernetes.io/healthcheck-timeout-seconds, alb.ingress.kubernetes.io/healthy-threshold-count, alb.ingress.kubernetes.io/unhealthy-threshold-count unset -> shutdown',
    ]);
  });

  it('should fail a grace period that does not cover preStop + drain + in-flight timeout', () => {
    const objects = cleanObjects();
    find(objects, 'ConfigMap').data = { SHUTDOWN_DRAIN_MS: '5000', SHUTDOWN_TIMEOUT_MS: '20000' };
    expect(messages(shutdownTiming.check({ objects, environment: environment() }))).toEqual([
      'terminationGracePeriodSeconds 30 is not above preStop 5 s + drain 5 s + in-flight timeout 20 s = 30 s -> shutdown',
    ]);
  });
});

describe('image-digest placeholders', () => {
  it('should recognise made-up digests and accept real-looking ones', () => {
    expect(isPlaceholderDigest(`sha256:${'0'.repeat(64)}`)).toBe(true);
    expect(isPlaceholderDigest(`sha256:${'deadbeef'.repeat(8)}`)).toBe(true);
    expect(isPlaceholderDigest(`sha256:${'0123456789abcdef'.repeat(4)}`)).toBe(true);
    expect(isPlaceholderDigest(`sha256:${'ab12'.repeat(15)}abcd`)).toBe(true);
    expect(
      isPlaceholderDigest('sha256:2ca9225ccae23b1f1a6002d514da74c5d28198302c811a3605cef62c752629f1'),
    ).toBe(false);
  });

  it('should reject an all-zero digest in a protected environment (the finding), not in a plain one', () => {
    const objects = cleanObjects();
    container(objects).image = `registry.example.com/web:1.0.0@sha256:${'0'.repeat(64)}`;
    expect(messages(imageDigest.check({ objects, environment: environment({ protected: true }) }))).toEqual([
      `container "web" image digest "sha256:${'0'.repeat(64)}" is a placeholder (a repeated pattern or under 8 distinct hex digits), not an image -> image.digest`,
    ]);
    expect(imageDigest.check({ objects, environment: environment() })).toEqual([]);
  });
});

describe('tokens-over-https', () => {
  const ingress = (annotations: Record<string, string>) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web', annotations },
  });

  it('should fail a plain HTTP ingress where tokens are required (staging before the fix)', () => {
    const objects = [
      ...cleanObjects(),
      ingress({ 'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80}]' }),
    ];
    expect(messages(tokensOverHttps.check({ objects, environment: environment() }))).toEqual([
      'serves plain HTTP only, but auth.required sends bearer tokens with every request -> ingress.certificateArn',
    ]);
  });

  it('should fail HTTP beside HTTPS without a redirect, and pass with the redirect', () => {
    const both = {
      'alb.ingress.kubernetes.io/certificate-arn': 'arn:aws:acm:eu-west-1:111111111111:certificate/x',
      'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80},{"HTTPS":443}]',
    };
    expect(messages(tokensOverHttps.check({ objects: [ingress(both)], environment: environment() }))).toEqual(
      [
        'serves the API on plain HTTP besides HTTPS, but auth.required sends bearer tokens -> ingress.certificateArn',
      ],
    );
    const redirect = ingress({ ...both, 'alb.ingress.kubernetes.io/ssl-redirect': '443' });
    expect(tokensOverHttps.check({ objects: [redirect], environment: environment() })).toEqual([]);
  });
});
