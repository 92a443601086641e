// The RBAC that lets CI run `synth status` and `synth verify`: exactly their reads, on the named objects
// only.
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

/** One rule of a Role, as rbac.authorization.k8s.io/v1 writes it. */
export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly verbs: readonly string[];
}

/** Who is granted read access (an EKS access entry maps CI's IAM role to a Kubernetes group). */
export interface RbacSubject {
  readonly kind: 'Group' | 'User' | 'ServiceAccount';
  readonly name: string;
  /** Required for a ServiceAccount. */
  readonly namespace?: string;
}

/**
 * Exactly the reads `synth status` and `synth verify` make (synth/src/cluster/kube-client.ts): get and watch
 * of one named Application and one named Deployment (the watch sends `fieldSelector=metadata.name=<name>`, which
 * the API server authorizes against resourceNames), and list and watch of the pods by label selector (a list
 * cannot be limited by name).
 */
export function clusterReaderRules(applications: readonly string[], deployments: readonly string[]) {
  return {
    argocd: [
      {
        apiGroups: ['argoproj.io'],
        resources: ['applications'],
        resourceNames: [...applications],
        verbs: ['get', 'watch'],
      },
    ] as PolicyRule[],
    environment: [
      {
        apiGroups: ['apps'],
        resources: ['deployments'],
        resourceNames: [...deployments],
        verbs: ['get', 'watch'],
      },
      { apiGroups: [''], resources: ['pods'], verbs: ['list', 'watch'] },
    ] as PolicyRule[],
  };
}

/** Props of {@link ClusterReaderRbac}. */
export interface ClusterReaderRbacProps {
  /** Name of every Role and RoleBinding. @default 'guestlist-cluster-reader' */
  readonly name?: string;
  /** Argo CD's namespace, where the Applications live. */
  readonly argocdNamespace: string;
  /** The Applications status / verify read (one per environment). */
  readonly applications: readonly string[];
  /** Each environment's namespace. */
  readonly namespaces: readonly string[];
  /** The Deployments status / verify read in the namespaces. @default ['guestlist'] */
  readonly deployments?: readonly string[];
  /** Who gets the access; at least one. */
  readonly subjects: readonly RbacSubject[];
}

/**
 * A read-only Role and RoleBinding in Argo CD's namespace (the Applications) and in each environment namespace
 * (the Deployment and its pods): nothing cluster-wide, no Secrets, no write verb.
 */
export class ClusterReaderRbac extends Construct {
  constructor(scope: Construct, id: string, props: ClusterReaderRbacProps) {
    super(scope, id);
    if (props.subjects.length === 0)
      throw new Error('ClusterReaderRbac: subjects must name at least one subject');
    for (const s of props.subjects) {
      if (s.kind === 'ServiceAccount' && !s.namespace) {
        throw new Error(`ClusterReaderRbac: ServiceAccount "${s.name}" needs a namespace`);
      }
    }
    const name = props.name ?? 'guestlist-cluster-reader';
    const rules = clusterReaderRules(props.applications, props.deployments ?? ['guestlist']);
    const subjects = props.subjects.map((s) =>
      s.kind === 'ServiceAccount'
        ? { kind: s.kind, name: s.name, namespace: s.namespace }
        : { kind: s.kind, name: s.name, apiGroup: 'rbac.authorization.k8s.io' },
    );
    const grant = (namespace: string, ruleSet: readonly PolicyRule[]) => {
      new ApiObject(this, `role-${namespace}`, {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name, namespace },
        rules: ruleSet.map((r) => ({ ...r })),
      });
      new ApiObject(this, `binding-${namespace}`, {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name, namespace },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
        subjects,
      });
    };
    grant(props.argocdNamespace, rules.argocd);
    for (const namespace of props.namespaces) grant(namespace, rules.environment);
  }
}
