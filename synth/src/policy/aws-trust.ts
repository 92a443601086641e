// Policy rule `aws-trust`: a rendered role trusts exactly this environment's service account, in its identity
// mode.
import type { K8sObject } from '../charts/k8s-object';
import { ackObjects, listOf, type RoleSpec, type Statement, specOf, statementsOf } from './aws-objects';
import { type Rule, ref, type Violation } from './types';

const POD_IDENTITY = 'pods.eks.amazonaws.com';

/** Service accounts the Deployments of the folder run as. */
function serviceAccountsOf(objects: readonly K8sObject[]): Set<string> {
  const names = new Set<string>();
  for (const d of objects.filter((o) => o.kind === 'Deployment')) {
    const spec = (d.spec as { template?: { spec?: { serviceAccountName?: string } } }) ?? {};
    names.add(spec.template?.spec?.serviceAccountName ?? 'default');
  }
  return names;
}

/** The one value of a StringEquals condition key; undefined when absent or a list of several. */
function equalsValue(s: Statement, key: string): string | undefined {
  const values = listOf(s.Condition?.StringEquals?.[key]);
  return values.length === 1 ? values[0] : undefined;
}

/**
 * A rendered role trusts exactly this environment's service account (namespace and name, no wildcards) in the
 * environment's identity mode, and a Pod Identity association names that same service account.
 */
export const awsTrust: Rule = {
  id: 'aws-trust',
  description:
    "A role's trust policy and Pod Identity association name exactly this environment's service account",
  check({ objects, environment }) {
    const out: Violation[] = [];
    const namespace = environment?.namespace ?? objects.find((o) => o.metadata.namespace)?.metadata.namespace;
    const accounts = serviceAccountsOf(objects);
    const [sa] = accounts;
    const ours = sa !== undefined && accounts.size === 1 ? `${namespace}/${sa}` : undefined;
    const identity = environment?.aws?.identity;
    for (const role of ackObjects(objects, 'iam.services.k8s.aws', 'Role')) {
      const add = (message: string, key?: string) =>
        out.push({ rule: 'aws-trust', object: ref(role), message, ...(key && { key }) });
      if (ours === undefined) {
        add(
          `the folder's Deployments run as ${accounts.size} service accounts; a role must trust exactly one`,
        );
        continue;
      }
      const statements = statementsOf(specOf<RoleSpec>(role).assumeRolePolicyDocument);
      if (!statements) {
        add('assumeRolePolicyDocument is not a JSON policy document');
        continue;
      }
      for (const [i, s] of statements.entries()) {
        if (s.Effect !== 'Allow') continue;
        const at = `trust statement ${s.Sid ?? i}`;
        const likes = Object.keys(s.Condition ?? {}).filter((op) => /Like/.test(op));
        if (likes.length > 0)
          add(`${at} uses ${likes.join(', ')} (wildcards); name the service account exactly`);
        const services = listOf(s.Principal?.Service);
        const federated = listOf(s.Principal?.Federated);
        if (services.length === 1 && services[0] === POD_IDENTITY && federated.length === 0) {
          if (identity !== undefined && identity !== 'pod-identity')
            add(`${at} trusts EKS Pod Identity but aws.identity is "${identity}"`, 'aws.identity');
          const actions = listOf(s.Action).sort();
          if (actions.join() !== 'sts:AssumeRole,sts:TagSession')
            add(
              `${at} allows ${JSON.stringify(actions)}; Pod Identity needs exactly sts:AssumeRole and sts:TagSession`,
            );
          const trusted = `${equalsValue(s, 'aws:RequestTag/kubernetes-namespace')}/${equalsValue(s, 'aws:RequestTag/kubernetes-service-account')}`;
          if (trusted !== ours)
            add(
              `${at} trusts service account ${trusted}, not this environment's ${ours} (StringEquals on aws:RequestTag/kubernetes-namespace and kubernetes-service-account)`,
            );
        } else if (
          federated.length === 1 &&
          services.length === 0 &&
          federated[0]?.includes(':oidc-provider/')
        ) {
          if (identity !== undefined && identity !== 'irsa')
            add(`${at} trusts an OIDC provider (IRSA) but aws.identity is "${identity}"`, 'aws.identity');
          if (listOf(s.Action).join() !== 'sts:AssumeRoleWithWebIdentity')
            add(
              `${at} allows ${JSON.stringify(listOf(s.Action))}; IRSA needs exactly sts:AssumeRoleWithWebIdentity`,
            );
          const provider = (federated[0] as string).split(':oidc-provider/')[1];
          const sub = equalsValue(s, `${provider}:sub`);
          if (sub !== `system:serviceaccount:${namespace}:${sa}`)
            add(
              `${at} trusts subject ${sub === undefined ? '(none)' : `"${sub}"`}, not this environment's system:serviceaccount:${namespace}:${sa}`,
            );
        } else {
          add(
            `${at} trusts ${JSON.stringify(s.Principal ?? null)}; only EKS Pod Identity or the cluster's OIDC provider may assume the role`,
          );
        }
      }
    }
    for (const assoc of ackObjects(objects, 'eks.services.k8s.aws', 'PodIdentityAssociation')) {
      const spec = specOf<{ namespace: string; serviceAccount: string }>(assoc);
      const named = `${spec.namespace}/${spec.serviceAccount}`;
      if (named !== ours) {
        out.push({
          rule: 'aws-trust',
          object: ref(assoc),
          message: `associates service account ${named}, not this environment's ${ours ?? '(one service account)'}`,
        });
      }
    }
    return out;
  },
};
