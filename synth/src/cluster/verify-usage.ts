/** The `--help` text of `synth verify` (kept apart so the CLI lists it without loading the command). */
export const VERIFY_USAGE = `usage: npm run verify -- <env> [--timeout 10m] [--json] [--context <ctx>] [--kubeconfig <file>]
  waits until, all at once: the Argo CD Application is Synced and Healthy with no operation running and was
  reconciled after its last sync; the commit R that last changed dist/<env> is the synced revision or an
  ancestor of it with dist/<env> unchanged in between; the Deployment's rollout is complete and every ready pod
  runs the expected image (its digest when pinned); the environment's verification queries held for the soak
  --timeout <dur>           give up after this long (default: 10m)
  --json                    one JSON document on stdout (progress stays on stderr)
  --context <ctx>           kubeconfig context (default: the current context; in a pod: its service account)
  --kubeconfig <file>       kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)
  --request-timeout <dur>   deadline of each API request (default: 10s)
  --environments <dir>      environment files (default: environments)
  --dist <dir>              rendered output, inside a git clone with history (default: dist)
exit codes: 0 verified, 1 failed, timed out or refused by the cluster, 2 usage or configuration error

examples:
  npm run verify -- dev
  npm run verify -- prod --timeout 15m --context prod-eks
  npm run verify -- staging --json > verify.json`;
