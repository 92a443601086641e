import type { Command } from '../cli/command';
import { STATUS_USAGE } from './status-usage';
import { VERIFY_USAGE } from './verify-usage';

/**
 * `synth status` and `synth verify` as entries of the synth CLI's command table. The command modules (and
 * @kubernetes/client-node behind them) are loaded only when one of them runs.
 */
export const clusterCommands: readonly Command[] = [
  {
    name: 'status',
    summary:
      'what runs where: file vs dist vs live image, Argo CD sync and health, rollout, one verdict per environment',
    usage: STATUS_USAGE,
    run: async (args, context) => (await import('./status-command')).runStatus(args, context),
  },
  {
    name: 'verify',
    summary:
      'wait until <env> is live as git says (Argo CD, git ancestry, rollout, pod digests, metrics soak)',
    usage: VERIFY_USAGE,
    run: async (args, context) => (await import('./verify-command')).runVerifyCommand(args, context),
  },
];
