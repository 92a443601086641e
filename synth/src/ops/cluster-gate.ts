import { refused } from './errors';
import type { VerifyGate } from './verify-gate';

/**
 * The promotion gate of the CLI. Interim until the cluster module's verify lands: it refuses, so promote
 * without --skip-verify cannot pass by accident.
 */
export function clusterGate(_options: { readonly context?: string }): VerifyGate {
  return async () => {
    throw refused(
      'the verification gate (cluster verify) is not available in this build; pass --skip-verify --reason "<why>"',
    );
  };
}
