export { ConfigError, environmentFiles, loadEnvironments } from './load';
export type { RepoSettings } from './repo';
export {
  DEFAULTS,
  type EnvironmentConfig,
  type EnvironmentFile,
  EnvironmentFileSchema,
  environmentJsonSchema,
  RULE_IDS,
  type RuleId,
} from './schema';
