/** The `--help` text of `synth status` (kept apart so the CLI lists it without loading the command). */
export const STATUS_USAGE = `usage: npm run status -- [--env <name>]... [--json] [--context <ctx>] [--kubeconfig <file>]
  --env <name>              only this environment (repeatable; default: every environments/*.yaml)
  --json                    one JSON document on stdout (for CI)
  --context <ctx>           kubeconfig context (default: the current context; in a pod: its service account)
  --kubeconfig <file>       kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)
  --request-timeout <dur>   deadline of each API request (default: 10s)
  --environments <dir>      environment files (default: environments)
  --dist <dir>              rendered output (default: dist)
  --rbac <subject>          print instead the read-only Roles/RoleBindings status and verify need, for
                            group:<name>, user:<name> or serviceaccount:<ns>/<name> (repeatable; kubectl apply -f -)
verdicts: in sync, dist stale, not yet synced, rolling out, degraded, unknown
exit codes: 0 every verdict known, 1 a verdict is unknown (cluster unreadable), 2 usage or configuration error

examples:
  npm run status
  npm run status -- --env prod --env staging --context prod-eks
  npm run status -- --json > status.json
  npm run status -- --rbac group:guestlist-ci | kubectl apply -f -`;
