/**
 * The schema of a cluster entry (`environments/clusters/<name>.yaml`): the one place that says what a cluster is.
 *
 * For readers of the parsed entry (`ClusterEntry`, e.g. `npm run doctor`):
 * - `argocd` says how Argo CD reaches the cluster: `{ kind: 'in-cluster' }` (Argo CD runs there, server
 *   https://kubernetes.default.svc), `{ kind: 'registered', name }` (a cluster Secret of that name), or
 *   `{ kind: 'eks-capability' }` (the managed Argo CD of EKS Capabilities, which targets every cluster by its EKS
 *   cluster ARN). `destinationOf(entry)` turns it into the Argo CD destination.
 * - `addons` says, per add-on, who installs it: a chart version string (synth renders an Argo CD Application that
 *   installs that upstream chart at that version on this cluster), `'provided'` (installed outside this
 *   repository, e.g. an EKS add-on or EKS Auto Mode; nothing here installs it), or absent (unspecified: an
 *   environment that needs it is refused, and doctor lists it). `addons.ack` is `{ dynamodb, iam, eks }` chart
 *   versions, `'eks-capability'` (the managed ACK of EKS Capabilities: no chart, versions owned by AWS), or
 *   `{ hub: <entry> }`: the ACK objects of this cluster's environments live on the hub cluster that entry describes
 *   and act in this cluster's account from there (AWS's hub pattern; nothing ACK runs on this cluster). The hub
 *   runs ACK itself (versions: CARM's account map, or `eks-capability`: IAMRoleSelector objects); `checkAckHubs`
 *   in topology.ts refuses anything else.
 */
import { z } from 'zod';

/** A Helm chart version as the upstream registries publish it: exact `X.Y.Z`, no range, no `v`. */
const chartVersion = z
  .string()
  .regex(/^[0-9]+\.[0-9]+\.[0-9]+$/, 'must be an exact chart version X.Y.Z (no range, no "v")');

/** Installed by synth at a chart version, or by someone else. */
const addon = z
  .string()
  .regex(
    /^([0-9]+\.[0-9]+\.[0-9]+|provided)$/,
    'must be an exact chart version X.Y.Z or "provided" (installed outside this repository)',
  );

/** The add-on names a cluster entry may list (besides `ack`), in the order docs and messages use. */
export const ADDON_NAMES = [
  'externalSecrets',
  'awsLoadBalancerController',
  'prometheusOperator',
  'metricsServer',
] as const;

/** One add-on other than ACK. */
export type AddonName = (typeof ADDON_NAMES)[number];

/** The three ACK controllers the environments need. */
export const ACK_CONTROLLERS = ['dynamodb', 'iam', 'eks'] as const;

/** One ACK controller. */
export type AckController = (typeof ACK_CONTROLLERS)[number];

/** A cluster entry's name (its file name without `.yaml`). */
const entryName = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
    'must be the name of a cluster entry (environments/clusters/<name>.yaml)',
  );

const ack = z.union([
  z.literal('eks-capability'),
  z.strictObject({ dynamodb: chartVersion, iam: chartVersion, eks: chartVersion }),
  z.strictObject({ hub: entryName }),
]);

const argocd = z.union([
  z.literal('in-cluster'),
  z.literal('eks-capability'),
  z.strictObject({
    name: z
      .string()
      .regex(/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/, 'must be the name the cluster is registered under'),
  }),
]);

/** The zod schema of one cluster entry file. */
export const ClusterFileSchema = z.strictObject({
  accountId: z
    .string()
    .regex(/^[0-9]{12}$/, 'must be a 12-digit AWS account id (quoted, e.g. "111111111111")'),
  region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-[0-9]$/, 'must be an AWS region such as eu-west-1'),
  eksClusterName: z
    .string()
    .regex(/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/, 'must be an EKS cluster name (letters, digits, "-" and "_")'),
  oidcProvider: z
    .string()
    .regex(
      /^oidc\.eks\.[a-z]{2}(-gov)?-[a-z]+-[0-9]\.amazonaws\.com(\.cn)?\/id\/[0-9A-F]{32}$/,
      'must be the cluster OIDC issuer without https:// (oidc.eks.<region>.amazonaws.com/id/<32 hex digits>)',
    ),
  argocd,
  addons: z
    .strictObject({
      ack: ack.optional(),
      externalSecrets: addon.optional(),
      awsLoadBalancerController: addon.optional(),
      prometheusOperator: addon.optional(),
      metricsServer: addon.optional(),
    })
    .default({}),
});

/** How Argo CD reaches a cluster. */
export type ArgocdAccess =
  | { readonly kind: 'in-cluster' }
  | { readonly kind: 'registered'; readonly name: string }
  | { readonly kind: 'eks-capability' };

/** Who installs an add-on: synth at a chart version, someone else, or nobody said (undefined). */
export type AddonSetting = string | 'provided' | undefined;

/** ACK installed on this cluster: chart versions per controller, or the managed capability. */
export type AckOnCluster = 'eks-capability' | { readonly [C in AckController]: string };

/** ACK of another cluster (the hub) manages this cluster's AWS resources. */
export interface AckHub {
  readonly hub: string;
}

/** The add-ons of a cluster (see the comment at the top of this file). */
export interface ClusterAddons {
  readonly ack?: AckOnCluster | AckHub;
  readonly externalSecrets?: AddonSetting;
  readonly awsLoadBalancerController?: AddonSetting;
  readonly prometheusOperator?: AddonSetting;
  readonly metricsServer?: AddonSetting;
}

/** One EKS cluster and its AWS account: what every environment on it shares, written once. */
export interface ClusterEntry {
  /** Entry name (the file name without `.yaml`), what an environment's `cluster` key names. */
  readonly name: string;
  /** AWS account id (12 digits) of the cluster, its tables and roles. */
  readonly accountId: string;
  /** AWS region of the EKS cluster. */
  readonly region: string;
  /** Name of the EKS cluster (Pod Identity associations are made in it). */
  readonly eksClusterName: string;
  /** The cluster's IAM OIDC provider, without `https://` (IRSA trust policies name it). */
  readonly oidcProvider: string;
  /** How Argo CD reaches the cluster. */
  readonly argocd: ArgocdAccess;
  /** Which add-ons run there, and who installs them. */
  readonly addons: ClusterAddons;
  /** Shown in messages, e.g. `environments/clusters/nonprod.yaml`. */
  readonly source: string;
  /** `<source>:<line>:<col> <key.path>:` for a key path of the entry (the parent when the key is absent). */
  readonly at: (path: readonly PropertyKey[]) => string;
}

/** The entry's fields from the parsed file data. */
export function toEntry(
  data: z.output<typeof ClusterFileSchema>,
): Pick<ClusterEntry, 'accountId' | 'region' | 'eksClusterName' | 'oidcProvider' | 'argocd' | 'addons'> {
  const access: ArgocdAccess =
    data.argocd === 'in-cluster'
      ? { kind: 'in-cluster' }
      : data.argocd === 'eks-capability'
        ? { kind: 'eks-capability' }
        : { kind: 'registered', name: data.argocd.name };
  return {
    accountId: data.accountId,
    region: data.region,
    eksClusterName: data.eksClusterName,
    oidcProvider: data.oidcProvider,
    argocd: access,
    addons: data.addons,
  };
}

/** IAM partition of a region (`aws`, `aws-cn`, `aws-us-gov`). */
export function partitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** The EKS cluster's ARN: how the managed Argo CD of EKS Capabilities names every cluster it deploys to. */
export function eksClusterArn(entry: Pick<ClusterEntry, 'accountId' | 'region' | 'eksClusterName'>): string {
  return `arn:${partitionOfRegion(entry.region)}:eks:${entry.region}:${entry.accountId}:cluster/${entry.eksClusterName}`;
}

/** Argo CD's in-cluster API server URL (self-managed Argo CD only; EKS Capabilities do not serve it). */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

/** The cluster part of an Argo CD destination for the entry: `{ server }` or `{ name }`. */
export function destinationOf(
  entry: Pick<ClusterEntry, 'argocd' | 'accountId' | 'region' | 'eksClusterName'>,
):
  | { readonly server: string; readonly name?: undefined }
  | { readonly name: string; readonly server?: undefined } {
  switch (entry.argocd.kind) {
    case 'in-cluster':
      return { server: IN_CLUSTER_SERVER };
    case 'registered':
      return { name: entry.argocd.name };
    case 'eks-capability':
      return { server: eksClusterArn(entry) };
  }
}

/** The hub entry name when the entry's ACK objects are managed from another cluster, else undefined. */
export function ackHubName(entry: Pick<ClusterEntry, 'addons'>): string | undefined {
  const { ack } = entry.addons;
  return ack !== undefined && typeof ack === 'object' && 'hub' in ack ? ack.hub : undefined;
}

/** The ACK the cluster runs itself (chart versions or the capability); undefined when absent or a hub's. */
export function ackOnCluster(entry: Pick<ClusterEntry, 'addons'>): AckOnCluster | undefined {
  const { ack } = entry.addons;
  return ack === undefined || (typeof ack === 'object' && 'hub' in ack) ? undefined : ack;
}
