// The ExternalSecret construct: a Kubernetes Secret that the External Secrets Operator fills from a provider
// such as AWS Secrets Manager.
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';

/** One key of the Kubernetes Secret and where it comes from in the provider. */
export interface ExternalSecretKey {
  /** Key in the rendered Kubernetes Secret (the file name when mounted). */
  readonly secretKey: string;
  /** Name (or ARN) of the secret in the provider, e.g. an AWS Secrets Manager secret. */
  readonly remoteKey: string;
  /**
   * JSON property of the provider's secret value.
   * @default - the whole value
   */
  readonly property?: string;
}

/** Props of an External Secrets Operator ExternalSecret. */
export interface ExternalSecretProps {
  /** Name of the ExternalSecret and of the Secret it creates. */
  readonly name: string;
  /** Name of the store that reads the provider. */
  readonly storeName: string;
  /**
   * Kind of the store.
   * @default 'ClusterSecretStore'
   */
  readonly storeKind?: 'SecretStore' | 'ClusterSecretStore';
  /** Keys of the Secret. */
  readonly data: readonly ExternalSecretKey[];
  /**
   * How often the operator re-reads the provider (a rotated secret reaches the pods within this time).
   * @default '1h'
   */
  readonly refreshInterval?: string;
}

/**
 * An `external-secrets.io/v1` ExternalSecret (the only version current External Secrets Operator releases
 * serve; `v1beta1` stopped being served in v0.17.0): the operator creates and owns a Secret of the same name
 * from the provider (AWS Secrets Manager through the store), so no secret value is in Git. The remote refs leave
 * the conversion and decoding strategies and the metadata policy unset on purpose: their values are the
 * operator's defaults, some releases default them in the CRD and some do not, and the Application compares
 * server-side (argo-application.ts), so rendering them by hand would only churn between releases.
 */
export class ExternalSecret extends ApiObject {
  constructor(scope: Construct, id: string, props: ExternalSecretProps) {
    super(scope, id, {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: props.name },
      spec: {
        refreshInterval: props.refreshInterval ?? '1h',
        secretStoreRef: { name: props.storeName, kind: props.storeKind ?? 'ClusterSecretStore' },
        target: { name: props.name, creationPolicy: 'Owner', deletionPolicy: 'Retain' },
        data: props.data.map((d) => ({
          secretKey: d.secretKey,
          remoteRef: { key: d.remoteKey, ...(d.property !== undefined && { property: d.property }) },
        })),
      },
    });
  }
}
