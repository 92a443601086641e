import { ackObjects, specOf } from './aws-objects';
import { type Rule, ref, type Violation } from './types';

const DELETION_POLICY = 'services.k8s.aws/deletion-policy';

/**
 * A protected environment's tables outlive their objects: ACK deletion policy `retain` (deleting the object, or
 * the whole environment, leaves the table in AWS) and DynamoDB deletion protection on.
 */
export const awsRetain: Rule = {
  id: 'aws-retain',
  description: 'Tables of a protected environment: ACK deletion policy "retain" and deletion protection on',
  check({ objects, environment }) {
    if (!environment?.protected) return [];
    const out: Violation[] = [];
    for (const table of ackObjects(objects, 'dynamodb.services.k8s.aws', 'Table')) {
      const add = (message: string) =>
        out.push({ rule: 'aws-retain', object: ref(table), message, key: 'protected' });
      const annotations = (table.metadata.annotations ?? {}) as Record<string, string>;
      const policy = annotations[DELETION_POLICY];
      if (policy !== 'retain') {
        add(
          `annotation ${DELETION_POLICY} is ${policy === undefined ? 'not set' : `"${policy}"`}; a protected environment's table must be retained ("retain")`,
        );
      }
      if (specOf<{ deletionProtectionEnabled: boolean }>(table).deletionProtectionEnabled !== true) {
        add('spec.deletionProtectionEnabled is not true in a protected environment');
      }
    }
    return out;
  },
};
