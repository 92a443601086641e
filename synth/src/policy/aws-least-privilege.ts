// Policy rule `aws-least-privilege`: rendered IAM roles grant exact actions on exact resources and carry a
// permissions boundary.
import { ackObjects, listOf, type RoleSpec, specOf, statementsOf } from './aws-objects';
import { type Rule, ref, type Violation } from './types';

/**
 * Every permission a rendered role grants names its actions and resources exactly: no `*` (alone or as a
 * wildcard inside a name), no NotAction / NotResource, and every Allow names its resources; and the role has a
 * permissions boundary (the ACK IAM controller may only make roles that carry one).
 */
export const awsLeastPrivilege: Rule = {
  id: 'aws-least-privilege',
  description:
    'Role inline policies name exact actions on exact resources (no "*", no NotAction/NotResource); a permissions boundary',
  check({ objects }) {
    const out: Violation[] = [];
    for (const role of ackObjects(objects, 'iam.services.k8s.aws', 'Role')) {
      const add = (message: string) => out.push({ rule: 'aws-least-privilege', object: ref(role), message });
      if (!(specOf<RoleSpec>(role).permissionsBoundary ?? '').includes(':policy/'))
        add('has no permissionsBoundary (the managed policy that bounds what its policies can grant)');
      for (const [name, json] of Object.entries(specOf<RoleSpec>(role).inlinePolicies ?? {})) {
        const statements = statementsOf(json);
        if (!statements) {
          add(`inline policy "${name}" is not a JSON policy document`);
          continue;
        }
        statements.forEach((s, i) => {
          const at = `inline policy "${name}" statement ${s.Sid ?? i}`;
          if (s.NotAction !== undefined) add(`${at} uses NotAction (grants everything else)`);
          if (s.NotResource !== undefined) add(`${at} uses NotResource (applies to everything else)`);
          for (const a of listOf(s.Action))
            if (a.includes('*')) add(`${at} allows action "${a}" (a wildcard)`);
          const resources = listOf(s.Resource);
          if (s.Effect === 'Allow' && resources.length === 0 && s.NotResource === undefined)
            add(`${at} names no Resource`);
          for (const r of resources)
            if (r.includes('*')) add(`${at} applies to resource "${r}" (a wildcard)`);
        });
      }
    }
    return out;
  },
};
