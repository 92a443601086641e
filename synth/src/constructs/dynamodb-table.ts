// The DynamoDbTable construct: an ACK-managed DynamoDB table (on-demand, point-in-time recovery, encrypted).
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  ACK_ANNOTATIONS,
  type AckObjectProps,
  deletionPolicyAnnotation,
  syncWaveAnnotation,
  tagList,
} from './ack';

/** Props of a DynamoDB table managed by the ACK dynamodb controller. */
export interface DynamoDbTableProps extends AckObjectProps {
  /** Name of the DynamoDB table. */
  readonly tableName: string;
  /** String hash (partition) key attribute. */
  readonly hashKey: string;
  /** AWS region of the table. */
  readonly region: string;
  /**
   * DynamoDB deletion protection (DeleteTable is refused until it is turned off).
   * @default false
   */
  readonly deletionProtection?: boolean;
  /**
   * Adopt an existing table of this name (ACK adoption policy `adopt-or-create`) instead of failing to create it.
   * @default false
   */
  readonly adopt?: boolean;
}

/**
 * An ACK `Table` (dynamodb.services.k8s.aws/v1alpha1): on-demand billing, point-in-time recovery, server-side
 * encryption with the AWS managed KMS key, a string hash key.
 */
export class DynamoDbTable extends Construct {
  /** The rendered object. */
  readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: DynamoDbTableProps) {
    super(scope, id);
    this.apiObject = new ApiObject(this, 'table', {
      apiVersion: 'dynamodb.services.k8s.aws/v1alpha1',
      kind: 'Table',
      metadata: {
        name: props.name,
        annotations: {
          [ACK_ANNOTATIONS.region]: props.region,
          ...deletionPolicyAnnotation(props.retain),
          ...((props.adopt ?? false) && { [ACK_ANNOTATIONS.adoptionPolicy]: 'adopt-or-create' }),
          ...syncWaveAnnotation(props.syncWave),
        },
      },
      spec: {
        tableName: props.tableName,
        attributeDefinitions: [{ attributeName: props.hashKey, attributeType: 'S' }],
        keySchema: [{ attributeName: props.hashKey, keyType: 'HASH' }],
        billingMode: 'PAY_PER_REQUEST',
        continuousBackups: { pointInTimeRecoveryEnabled: true },
        sseSpecification: { enabled: true, sseType: 'KMS' },
        deletionProtectionEnabled: props.deletionProtection ?? false,
        tags: tagList(props.tags ?? {}),
      },
    });
  }
}
