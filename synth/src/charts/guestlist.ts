import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { AlbIngress } from '../constructs/alb-ingress';
import { RestrictedNamespace } from '../constructs/restricted-namespace';
import { WebService } from '../constructs/web-service';
import { containerResources } from './container-resources';

/** Name of the service's objects and its `app` label. */
export const SERVICE_NAME = 'guestlist';
/** Container port of the guest API. */
export const SERVICE_PORT = 1111;
const TOKENS_DIR = '/etc/guestlist/auth';

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
    super(scope, id, { namespace: env.namespace, disableResourceNameHashes: true });
    new RestrictedNamespace(this, 'namespace', {
      name: env.namespace,
      ...(env.protected && { annotations: { [PROTECTED_ANNOTATION]: 'true' } }),
    });

    const image = `${env.image.repository}:${env.image.tag}${env.image.digest ? `@${env.image.digest}` : ''}`;
    const appEnv: Record<string, string> = {
      PORT: String(SERVICE_PORT),
      DDB_TABLE: env.dynamodb.table,
      AWS_REGION: env.dynamodb.region,
      LOG_LEVEL: env.logLevel,
      ENVIRONMENT: env.name,
    };
    if (env.auth.required) appEnv.API_TOKENS_FILE = `${TOKENS_DIR}/tokens`;

    const service = new WebService(this, SERVICE_NAME, {
      name: SERVICE_NAME,
      image,
      port: SERVICE_PORT,
      env: appEnv,
      replicas: env.replicas,
      ...(env.autoscaling.enabled ? { autoscaling: env.autoscaling } : {}),
      resources: containerResources(env.resources),
      // The API drains in about 10 s after SIGTERM (GUEST-API.md).
      drainSeconds: 10,
      serviceAccountAnnotations:
        env.aws.identity === 'irsa' ? { 'eks.amazonaws.com/role-arn': env.aws.roleArn } : {},
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
      });
    }
  }
}
