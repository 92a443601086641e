// The IamRole construct: an ACK-managed IAM role with its trust policy and inline policies.
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { type AckObjectProps, deletionPolicyAnnotation, syncWaveAnnotation, tagList } from './ack';

/** One statement of an IAM policy document. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: { readonly Service?: string | readonly string[]; readonly Federated?: string };
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/** An IAM policy document. */
export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

/** Props of an IAM role managed by the ACK iam controller. */
export interface IamRoleProps extends AckObjectProps {
  /** Name of the IAM role. */
  readonly roleName: string;
  /**
   * Description of the role.
   * @default - none
   */
  readonly description?: string;
  /** Who may assume the role. */
  readonly trustPolicy: PolicyDocument;
  /**
   * Inline policies by name.
   * @default {}
   */
  readonly inlinePolicies?: Readonly<Record<string, PolicyDocument>>;
  /**
   * ARN of the managed policy that bounds whatever the role's policies grant.
   * @default - none
   */
  readonly permissionsBoundary?: string;
  /**
   * Longest session, in seconds.
   * @default 3600
   */
  readonly maxSessionDuration?: number;
}

/** An ACK `Role` (iam.services.k8s.aws/v1alpha1) with its trust policy and inline policies as JSON documents. */
export class IamRole extends Construct {
  /** The rendered object. */
  readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: IamRoleProps) {
    super(scope, id);
    const json = (doc: PolicyDocument) => JSON.stringify(doc);
    const inline = props.inlinePolicies ?? {};
    this.apiObject = new ApiObject(this, 'role', {
      apiVersion: 'iam.services.k8s.aws/v1alpha1',
      kind: 'Role',
      metadata: {
        name: props.name,
        annotations: { ...deletionPolicyAnnotation(props.retain), ...syncWaveAnnotation(props.syncWave) },
      },
      spec: {
        name: props.roleName,
        ...(props.description !== undefined && { description: props.description }),
        maxSessionDuration: props.maxSessionDuration ?? 3600,
        ...(props.permissionsBoundary !== undefined && { permissionsBoundary: props.permissionsBoundary }),
        assumeRolePolicyDocument: json(props.trustPolicy),
        inlinePolicies: Object.fromEntries(
          Object.keys(inline)
            .sort()
            .map((k) => [k, json(inline[k] as PolicyDocument)]),
        ),
        tags: tagList(props.tags ?? {}),
      },
    });
  }
}
