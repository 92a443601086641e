// Policy rule `aws-retain`: every ACK object states its deletion policy, and a protected environment's AWS
// resources are retained.
import type { K8sObject } from '../charts/k8s-object';
import { ACK_ANNOTATIONS } from '../constructs/ack';
import { ackObjects, specOf } from './aws-objects';
import { type Rule, ref, type Violation } from './types';

const DELETION_POLICY = ACK_ANNOTATIONS.deletionPolicy;

/** Every ACK object synth renders: the kinds whose AWS resource a deleted object may take with it. */
const ACK_KINDS = [
  ['dynamodb.services.k8s.aws', 'Table'],
  ['iam.services.k8s.aws', 'Role'],
  ['eks.services.k8s.aws', 'PodIdentityAssociation'],
] as const;

/**
 * Every ACK object says what happens to its AWS resource when the object goes: ACK's deletion-policy annotation,
 * `retain` or `delete`, never left to the controller (the self-managed charts are configured, the EKS managed ACK
 * capability deletes). In a protected environment everything outlives its environment: the tables, the role
 * and the Pod Identity association carry `retain`, so deleting the Application's resources, the namespace or
 * the environment file never deletes what prod runs on; its tables also have DynamoDB deletion protection on.
 */
export const awsRetain: Rule = {
  id: 'aws-retain',
  description:
    'ACK objects: deletion policy written explicitly; in a protected environment "retain" on every one, and deletion protection on its tables',
  check({ objects, environment }) {
    const out: Violation[] = [];
    const acks: K8sObject[] = ACK_KINDS.flatMap(([group, kind]) => ackObjects(objects, group, kind));
    for (const obj of acks) {
      const add = (message: string) =>
        out.push({ rule: 'aws-retain', object: ref(obj), message, key: 'protected' });
      const policy = ((obj.metadata.annotations ?? {}) as Record<string, string>)[DELETION_POLICY];
      if (policy !== 'retain' && policy !== 'delete') {
        add(
          `annotation ${DELETION_POLICY} is ${policy === undefined ? 'not set' : `"${policy}"`}; it must be "retain" or "delete" (without it the controller's default decides, and the EKS managed ACK deletes)`,
        );
      } else if (environment?.protected && policy !== 'retain') {
        add(
          `annotation ${DELETION_POLICY} is "${policy}"; in a protected environment every ACK object must be retained ("retain")`,
        );
      }
      if (
        environment?.protected &&
        obj.kind === 'Table' &&
        specOf<{ deletionProtectionEnabled: boolean }>(obj).deletionProtectionEnabled !== true
      ) {
        add('spec.deletionProtectionEnabled is not true in a protected environment');
      }
    }
    return out;
  },
};
