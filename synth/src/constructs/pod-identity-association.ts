// The PodIdentityAssociation construct: an ACK-managed EKS Pod Identity association, giving one service
// account's pods one IAM role.
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { type AckObjectProps, deletionPolicyAnnotation, syncWaveAnnotation } from './ack';

/** Props of an EKS Pod Identity association managed by the ACK eks controller. */
export interface PodIdentityAssociationProps extends AckObjectProps {
  /** EKS cluster to make the association in. */
  readonly clusterName: string;
  /** Namespace of the service account. */
  readonly namespace: string;
  /** Service account whose pods get the role's credentials. */
  readonly serviceAccount: string;
  /** ARN of the role. */
  readonly roleArn: string;
}

/** An ACK `PodIdentityAssociation` (eks.services.k8s.aws/v1alpha1): pods of one service account assume one role. */
export class PodIdentityAssociation extends Construct {
  /** The rendered object. */
  readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: PodIdentityAssociationProps) {
    super(scope, id);
    const tags = props.tags ?? {};
    this.apiObject = new ApiObject(this, 'association', {
      apiVersion: 'eks.services.k8s.aws/v1alpha1',
      kind: 'PodIdentityAssociation',
      metadata: {
        name: props.name,
        annotations: { ...deletionPolicyAnnotation(props.retain), ...syncWaveAnnotation(props.syncWave) },
      },
      spec: {
        clusterName: props.clusterName,
        namespace: props.namespace,
        serviceAccount: props.serviceAccount,
        roleARN: props.roleArn,
        tags: Object.fromEntries(
          Object.keys(tags)
            .sort()
            .map((k) => [k, tags[k] as string]),
        ),
      },
    });
  }
}
