// Test helpers for status and verify: run them through the CLI's one entry with the caller's context.
//
// The commands load @kubernetes/client-node on first use (it would cost every other command start-up time).
// Tests that time a verify from a moment they choose import these modules up front, here, so the one-time
// load happens when the test file loads, as it did when the commands imported them statically.
import '../src/cluster/kube-config';
import '../src/cluster/kube-client';
import '../src/cluster/status-run';
import '../src/cluster/verify-run';
import { run } from '../src/cli';
import type { CliContext } from '../src/cli/command';

/** `synth status <args…>` through the CLI's one entry, with the caller's streams and environment. */
export function runStatus(args: readonly string[], context: CliContext): Promise<number> {
  return run(['status', ...args], context);
}

/** `synth verify <args…>` through the CLI's one entry, with the caller's streams and environment. */
export function runVerifyCommand(args: readonly string[], context: CliContext): Promise<number> {
  return run(['verify', ...args], context);
}
