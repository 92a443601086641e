// The chart of one environment: everything the guest list service needs there (namespace, workload, network
// policies, secrets, monitoring, AWS resources).
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { shutdownTiming } from '../config/production';
import { syncWaveAnnotation } from '../constructs/ack';
import { AlbIngress } from '../constructs/alb-ingress';
import { ExternalSecret } from '../constructs/external-secret';
import { GrafanaDashboard } from '../constructs/grafana-dashboard';
import { PodMonitor } from '../constructs/pod-monitor';
import { PrometheusRule } from '../constructs/prometheus-rule';
import { RestrictedNamespace } from '../constructs/restricted-namespace';
import { WebService } from '../constructs/web-service';
import { formatImage } from '../domain/image-ref';
import { alertGroups } from './alert-rules';
import { awsResourcesOf } from './aws-resources';
import { containerResources } from './container-resources';
import { dashboard } from './dashboard';
import { addAwsResources, SYNC_WAVES } from './guestlist-aws';

/** Name of the service's objects and its `app` label. */
export const SERVICE_NAME = 'guestlist';
/** Container port of the guest API. */
export const SERVICE_PORT = 1111;
/** Container port of `/metrics` (the service's METRICS_PORT); never on the Service or the ALB. */
export const METRICS_PORT = 9464;
const TOKENS_DIR = '/etc/guestlist/auth';
/** Key of the tokens Secret: the file the service reads (API_TOKENS_FILE). */
const TOKENS_KEY = 'tokens';

/**
 * Where the EKS Pod Identity agent serves credentials (a link-local address on every node, port 80). See the
 * EKS user guide, "Pod Identity": the SDK's container credentials provider calls it.
 */
export const POD_IDENTITY_AGENT = [
  { cidr: '169.254.170.23/32', port: 80 },
  { cidr: 'fd00:ec2::23/128', port: 80 },
] as const;

/**
 * Annotation on the Namespace of a protected environment. synth reads it from `dist/<env>/` when the
 * environment file is gone, and removes such a folder only with `--allow-remove <env>`.
 */
export const PROTECTED_ANNOTATION = 'guestlist/protected';

/** Props of the guest list chart. */
export interface GuestlistChartProps {
  /** The environment to render. */
  readonly environment: EnvironmentConfig;
}

/** Everything the guest list service needs in one environment. */
export class GuestlistChart extends Chart {
  constructor(scope: Construct, id: string, props: GuestlistChartProps) {
    const env = props.environment;
    // Recommended labels on every object; the pod selector stays `app: guestlist` (a Deployment's selector is
    // immutable). The version label goes on the pods only: on every object it made each release touch every
    // file of the environment (15, tables and role included), so a bump's diff, review and sync were all noise.
    const labels = {
      'app.kubernetes.io/name': SERVICE_NAME,
      'app.kubernetes.io/instance': `${SERVICE_NAME}-${env.name}`,
      'app.kubernetes.io/component': 'api',
      'app.kubernetes.io/part-of': SERVICE_NAME,
      'app.kubernetes.io/managed-by': 'synth',
    };
    const podLabels = { ...labels, 'app.kubernetes.io/version': env.image.tag };
    super(scope, id, { namespace: env.namespace, disableResourceNameHashes: true, labels });
    const timing = shutdownTiming(env.shutdown);
    new RestrictedNamespace(this, 'namespace', {
      name: env.namespace,
      annotations: {
        ...syncWaveAnnotation(SYNC_WAVES.namespace),
        ...(env.protected && { [PROTECTED_ANNOTATION]: 'true' }),
      },
    });
    // Tables, role and Pod Identity association (ACK), in sync waves before the Deployment; on the hub instead
    // (dist/<env>-aws/, GuestlistHubChart) when the cluster entry's ACK is a hub's.
    const aws =
      env.ackHub === undefined ? addAwsResources(this, env, SERVICE_NAME) : awsResourcesOf(env, SERVICE_NAME);

    const image = formatImage(env.image);
    const appEnv: Record<string, string> = {
      PORT: String(SERVICE_PORT),
      METRICS_PORT: String(METRICS_PORT),
      DDB_TABLE: aws.tables[0].name,
      DDB_GUARD_TABLE: aws.tables[1].name,
      AWS_REGION: env.dynamodb.region,
      LOG_LEVEL: env.logLevel,
      ENVIRONMENT: env.name,
      SERVICE_VERSION: env.image.tag,
      AUTH_REQUIRED: String(env.auth.required),
      SHUTDOWN_DRAIN_MS: String(timing.drainMs),
      SHUTDOWN_TIMEOUT_MS: String(timing.timeoutMs),
    };
    if (env.auth.required) appEnv.API_TOKENS_FILE = `${TOKENS_DIR}/${TOKENS_KEY}`;
    if (env.auth.required && env.auth.tokens.from === 'secrets-manager') {
      new ExternalSecret(this, 'api-tokens', {
        name: env.auth.tokensSecretName,
        storeName: env.auth.tokens.secretStore,
        data: [
          {
            secretKey: TOKENS_KEY,
            remoteKey: env.auth.tokens.secretsManagerKey ?? `${SERVICE_NAME}/${env.name}/api-tokens`,
          },
        ],
      });
    }
    const podIdentity = env.aws.identity === 'pod-identity';

    const service = new WebService(this, SERVICE_NAME, {
      name: SERVICE_NAME,
      image,
      port: SERVICE_PORT,
      metricsPort: METRICS_PORT,
      metricsFrom: env.monitoring.enabled
        ? [
            {
              namespaceSelector: {
                matchLabels: { 'kubernetes.io/metadata.name': env.monitoring.prometheusNamespace },
              },
            },
          ]
        : [],
      podLabels,
      env: appEnv,
      replicas: env.replicas,
      ...(env.autoscaling.enabled ? { autoscaling: env.autoscaling } : {}),
      resources: containerResources(env.resources),
      preStopSeconds: timing.preStopSeconds,
      gracePeriodSeconds: timing.gracePeriodSeconds,
      requireZoneSpread:
        (env.autoscaling.enabled ? env.autoscaling.minReplicas : env.replicas) >=
        env.scheduling.zoneSpreadRequiredFrom,
      ...(env.ingress.enabled && env.ingress.sourceCidrs
        ? { ingressFrom: env.ingress.sourceCidrs.map((cidr) => ({ ipBlock: { cidr } })) }
        : {}),
      ...(podIdentity && {
        extraEgress: POD_IDENTITY_AGENT.map((a) => ({
          to: [{ ipBlock: { cidr: a.cidr } }],
          ports: [{ port: a.port, protocol: 'TCP' }],
        })),
      }),
      serviceAccountAnnotations:
        env.aws.identity === 'irsa' && aws.roleArn ? { 'eks.amazonaws.com/role-arn': aws.roleArn } : {},
      secretFiles: env.auth.required
        ? [{ secretName: env.auth.tokensSecretName, mountPath: TOKENS_DIR }]
        : [],
    });

    if (env.ingress.enabled && env.ingress.host !== undefined) {
      new AlbIngress(this, 'ingress', {
        name: SERVICE_NAME,
        host: env.ingress.host,
        serviceName: service.service.name,
        servicePort: 80,
        scheme: env.ingress.scheme,
        ...(env.ingress.certificateArn ? { certificateArn: env.ingress.certificateArn } : {}),
        ...(env.ingress.group ? { groupName: env.ingress.group } : {}),
        deregistrationDelaySeconds: timing.deregistrationDelaySeconds,
        healthCheck: timing.healthCheck,
      });
    }

    if (env.monitoring.enabled) {
      const target = { namespace: env.namespace, environment: env.name, service: SERVICE_NAME };
      new PodMonitor(this, 'pod-monitor', {
        name: SERVICE_NAME,
        podLabels: service.podLabels,
        portName: 'metrics',
        labels: env.monitoring.ruleLabels,
      });
      new PrometheusRule(this, 'alerts', {
        name: SERVICE_NAME,
        groups: alertGroups(target, env.monitoring),
        labels: env.monitoring.ruleLabels,
      });
      new GrafanaDashboard(this, 'dashboard', {
        name: `${SERVICE_NAME}-dashboard`,
        fileName: `${SERVICE_NAME}-${env.name}.json`,
        dashboard: dashboard(target),
      });
    }
  }
}
