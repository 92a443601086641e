/**
 * Refuses a platform topology that cannot work, before anything is rendered: cluster entries that are one cluster,
 * an ACK hub that is not a cluster running ACK, environments that need an add-on their cluster does not run, and
 * environments sharing one ALB (IngressGroup) whose listeners, scheme or admitted sources disagree or that sit on
 * different clusters.
 */
import { ackHubName, ackOnCluster, type ClusterEntry, destinationOf } from './cluster-schema';
import type { EnvironmentConfig } from './schema';

/** An environment with its entry, and `at(path)` = `<file>:<line>:<col> <key.path>:` in its file. */
export interface PlacedEnvironment {
  readonly config: EnvironmentConfig;
  readonly entry: ClusterEntry;
  readonly at: (path: readonly PropertyKey[]) => string;
}

/** The cluster an entry resolves to for Argo CD, as one comparable string. */
export function clusterKey(entry: ClusterEntry): string {
  const d = destinationOf(entry);
  return d.server !== undefined ? `server ${d.server}` : `registered cluster "${d.name}"`;
}

/** Two entries that are one cluster (same Argo CD destination, or the same EKS cluster); one Argo CD for all. */
export function checkClusterEntries(entries: readonly ClusterEntry[], errors: string[]): void {
  const byDestination = new Map<string, ClusterEntry>();
  const byEks = new Map<string, ClusterEntry>();
  for (const entry of entries) {
    const key = clusterKey(entry);
    const other = byDestination.get(key);
    if (other) {
      errors.push(
        `${entry.at(['argocd'])} resolves to ${key}, which is already ${other.source}; two cluster entries cannot be one cluster (the environments on it would get two accounts, trust policies and ARNs)`,
      );
    } else byDestination.set(key, entry);
    const eks = `${entry.accountId}/${entry.region}/${entry.eksClusterName}`;
    const same = byEks.get(eks);
    if (same) {
      errors.push(
        `${entry.at(['eksClusterName'])} "${entry.eksClusterName}" in account ${entry.accountId} (${entry.region}) is also ${same.source}; one EKS cluster has one entry`,
      );
    } else byEks.set(eks, entry);
  }
  // One Argo CD delivers every environment: either self-managed (reaching clusters in-cluster or by name) or the
  // managed one of EKS Capabilities (reaching every cluster by ARN), never both.
  const managed = entries.filter((e) => e.argocd.kind === 'eks-capability');
  const selfManaged = entries.find((e) => e.argocd.kind !== 'eks-capability');
  if (managed.length > 0 && selfManaged) {
    for (const e of managed) {
      errors.push(
        `${e.at(['argocd'])} "eks-capability" while ${selfManaged.source} is reached by a self-managed Argo CD; one Argo CD delivers every environment, so every entry says "eks-capability" or none does`,
      );
    }
  }
}

/**
 * An entry whose ACK is a hub's (`addons.ack: { hub }`) names another entry that runs ACK itself: not itself, not
 * an unknown entry, not an entry whose ACK is in turn a hub's (ACK resolves one role per namespace; there is no
 * chain to follow). The hub's ACK may be at chart versions (synth renders CARM's account map) or the managed
 * capability (synth renders one IAMRoleSelector per environment instead).
 */
export function checkAckHubs(
  entries: ReadonlyMap<string, ClusterEntry>,
  names: readonly string[],
  shownDir: string,
  errors: string[],
): void {
  for (const entry of entries.values()) {
    const hub = ackHubName(entry);
    if (hub === undefined) continue;
    const at = `${entry.at(['addons', 'ack', 'hub'])} "${hub}"`;
    const other = entries.get(hub);
    if (hub === entry.name) {
      errors.push(
        `${at} names this entry itself; a hub is another cluster whose ACK controllers act in this account: name that cluster's entry, or give this entry its own addons.ack`,
      );
    } else if (other === undefined) {
      errors.push(
        names.includes(hub)
          ? `${at} is an entry that does not load (see its own errors); the hub must be a valid cluster entry`
          : `${at} is not a cluster entry (no ${shownDir}/${hub}.yaml; known: ${names.filter((n) => n !== entry.name).join(', ') || 'none'}); the hub must be a cluster entry that runs ACK`,
      );
    } else if (ackOnCluster(other) === undefined) {
      const theirs = ackHubName(other);
      errors.push(
        theirs !== undefined
          ? `${at} manages its ACK objects from hub "${theirs}" itself (${other.source}); a hub runs ACK itself: name "${theirs}", or give "${hub}" its own addons.ack`
          : `${at} runs no ACK (${other.source} has no addons.ack); a hub runs ACK itself, at chart versions or as the managed capability`,
      );
    }
  }
}

/** What an environment renders that needs an add-on, and that add-on's key in the cluster entry. */
function neededAddons(env: EnvironmentConfig): { key: keyof ClusterEntry['addons']; why: string }[] {
  const out: { key: keyof ClusterEntry['addons']; why: string }[] = [
    { key: 'ack', why: 'its DynamoDB tables, IAM role and Pod Identity association are ACK objects' },
  ];
  if (env.auth.required && env.auth.tokens.from === 'secrets-manager') {
    out.push({ key: 'externalSecrets', why: 'its tokens Secret is an ExternalSecret' });
  }
  if (env.ingress.enabled) out.push({ key: 'awsLoadBalancerController', why: 'it renders an ALB Ingress' });
  if (env.monitoring.enabled) {
    out.push({ key: 'prometheusOperator', why: 'it renders a PodMonitor and a PrometheusRule' });
  }
  if (env.autoscaling.enabled) {
    out.push({ key: 'metricsServer', why: 'its HorizontalPodAutoscaler reads CPU from metrics-server' });
  }
  return out;
}

/** Each environment's cluster runs every add-on its render needs. */
export function checkAddons(placed: readonly PlacedEnvironment[], errors: string[]): void {
  for (const { config, entry, at } of placed) {
    for (const { key, why } of neededAddons(config)) {
      // ACK managed from a hub counts: the hub runs it (checkAckHubs), and the objects render there.
      if (entry.addons[key] !== undefined) continue;
      errors.push(
        `${at(['cluster'])} "${entry.name}" does not run ${key === 'ack' ? 'the ACK controllers' : key} (${entry.source} has no addons.${key}), but ${why}; add addons.${key} to the entry`,
      );
    }
  }
}

/** How an environment's Ingress sets up the ALB it shares with its group. */
function listenerOf(env: EnvironmentConfig): string {
  return env.ingress.certificateArn !== undefined
    ? 'HTTP 80 redirecting to HTTPS 443'
    : 'HTTP 80 only (no certificateArn)';
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join();

/**
 * Environments of one IngressGroup share one ALB: one set of listeners (the controller applies `ssl-redirect` to
 * every HTTP listener of the group), one scheme, one set of subnets (so one `sourceCidrs` the NetworkPolicies
 * admit), and one cluster (a group cannot span clusters).
 */
export function checkIngressGroups(placed: readonly PlacedEnvironment[], errors: string[]): void {
  const first = new Map<string, PlacedEnvironment>();
  const byHost = new Map<string, PlacedEnvironment>();
  for (const p of placed) {
    const { ingress } = p.config;
    // One host, one environment: in one ALB the two Ingresses' rules for the same host and path collide (one
    // takes the other's traffic), and in two ALBs both claim the same DNS name.
    if (ingress.enabled && ingress.host !== undefined) {
      const owner = byHost.get(ingress.host);
      if (owner) {
        errors.push(
          `${p.at(['ingress', 'host'])} "${ingress.host}" is also the host of ${owner.config.source}; two environments cannot serve one host (the load balancer would send one's traffic to the other): give each its own`,
        );
      } else byHost.set(ingress.host, p);
    }
    if (!ingress.enabled || ingress.group === undefined) continue;
    const o = first.get(ingress.group);
    if (!o) {
      first.set(ingress.group, p);
      continue;
    }
    const other = o.config;
    const group = `IngressGroup "${ingress.group}" (shared with ${other.source})`;
    if (clusterKey(p.entry) !== clusterKey(o.entry)) {
      errors.push(
        `${p.at(['ingress', 'group'])} ${group} would span clusters "${p.entry.name}" and "${o.entry.name}"; a group is one ALB in one cluster: use another group name`,
      );
      continue;
    }
    if (listenerOf(p.config) !== listenerOf(other)) {
      errors.push(
        `${p.at(['ingress', p.config.ingress.certificateArn !== undefined ? 'certificateArn' : 'group'])} ${group}: this environment wants ${listenerOf(p.config)}, ${other.name} wants ${listenerOf(other)}; one ALB has one set of listeners (ssl-redirect applies to the whole group): make them agree or use separate groups`,
      );
    }
    if (ingress.scheme !== other.ingress.scheme) {
      errors.push(
        `${p.at(['ingress', 'scheme'])} "${ingress.scheme}" in ${group}, where ${other.name} is "${other.ingress.scheme}"; one ALB has one scheme`,
      );
    }
    if (!sameSet(ingress.sourceCidrs ?? [], other.ingress.sourceCidrs ?? [])) {
      errors.push(
        `${p.at(['ingress', 'sourceCidrs'])} [${(ingress.sourceCidrs ?? []).join(', ')}] in ${group}, where ${other.name} admits [${(other.ingress.sourceCidrs ?? []).join(', ')}]; one ALB has one set of subnets, so environments of a group admit the same sourceCidrs`,
      );
    }
  }
}

/** The folder (`dist/<env>-aws/`) and namespace suffix of an environment's ACK objects on its hub. */
export const HUB_SUFFIX = '-aws';

/**
 * The namespace an environment's ACK objects take on its hub, `<namespace>-aws`, is one namespace of the hub
 * cluster: no other hubbed environment may map to it (two spokes' environments of one name on one hub), and no
 * environment running on the hub cluster itself may use it.
 */
export function checkHubNamespaces(placed: readonly PlacedEnvironment[], errors: string[]): void {
  const byEntry = new Map(placed.map((p) => [p.entry.name, p.entry]));
  const taken = new Map<string, PlacedEnvironment>();
  for (const p of placed) taken.set(`${p.entry.name}/${p.config.namespace}`, p);
  for (const p of placed) {
    const hub = ackHubName(p.entry);
    if (hub === undefined || !byEntry.has(hub)) continue;
    const key = `${hub}/${p.config.namespace}${HUB_SUFFIX}`;
    const other = taken.get(key);
    if (other) {
      const what =
        ackHubName(other.entry) === hub && other.entry.name !== hub
          ? `the namespace on hub "${hub}" of ${other.config.source}'s ACK objects too`
          : `the namespace of ${other.config.source}, which runs on hub cluster "${hub}"`;
      errors.push(
        `${p.at(['namespace'])} "${p.config.namespace}" puts this environment's ACK objects in namespace "${p.config.namespace}${HUB_SUFFIX}" on hub "${hub}", which is ${what}; one namespace cannot hold both: give one of them another namespace`,
      );
    } else taken.set(key, p);
  }
}

/**
 * An environment whose ACK objects live on a hub renders them into `dist/<env>-aws/`; an environment named
 * `<env>-aws` would render into the same folder.
 */
export function checkHubFolders(placed: readonly PlacedEnvironment[], errors: string[]): void {
  const names = new Map(placed.map((p) => [p.config.name, p]));
  for (const p of placed) {
    if (ackHubName(p.entry) === undefined) continue;
    const clash = names.get(`${p.config.name}${HUB_SUFFIX}`);
    if (clash) {
      errors.push(
        `${clash.at(['name'])} "${clash.config.name}" is the folder dist/${clash.config.name}/ that ${p.config.source} renders its ACK objects into (its cluster "${p.entry.name}" manages them from hub "${ackHubName(p.entry)}"); rename this environment`,
      );
    }
  }
}
