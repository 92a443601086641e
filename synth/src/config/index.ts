// The config layer's public surface: environment and cluster files, their schemas, loading and validation.
export {
  ACK_CONTROLLERS,
  type AckController,
  type AckHub,
  type AckOnCluster,
  ADDON_NAMES,
  type AddonName,
  type ArgocdAccess,
  ackHubName,
  ackOnCluster,
  type ClusterAddons,
  type ClusterEntry,
  destinationOf,
  eksClusterArn,
  IN_CLUSTER_SERVER,
} from './cluster-schema';
export { CLUSTERS_DIR, readClusterEntries } from './clusters';
export {
  ENVIRONMENT_FILE,
  type EnvironmentFileEntry,
  environmentFiles,
  findEnvironmentFile,
} from './environment-files';
export { type EnvironmentView, viewOf } from './environment-view';
export { keyLine } from './key-line';
export {
  ConfigError,
  checkEnvironmentText,
  type FileCheck,
  type LoadOptions,
  loadEnvironments,
  RESERVED_NAMES,
} from './load';
export {
  ARGOCD_NAMESPACE,
  loadRepoSettings,
  parseRepoSettings,
  REPO_SETTINGS_FILE,
  type RepoSettings,
  RepoSettingsError,
  repoSettingsFor,
} from './repo-settings';
export {
  DEFAULTS,
  type EnvironmentConfig,
  type EnvironmentFile,
  EnvironmentFileSchema,
  environmentJsonSchema,
  RULE_IDS,
  type RuleId,
} from './schema';
export { didYouMean, nearest, type UnknownName, unknownName } from './suggest';
export { HUB_SUFFIX } from './topology';
export {
  type MetricsVerification,
  metricsVerification,
  type Verification,
  type VerificationQuery,
} from './verification';
