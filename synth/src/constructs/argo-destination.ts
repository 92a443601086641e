/** Where Argo CD deploys: a cluster (by API server URL or by its registered name) and a namespace. */
export type ArgoDestination =
  | { readonly server: string; readonly name?: undefined; readonly namespace: string }
  | { readonly name: string; readonly server?: undefined; readonly namespace: string };

/** The destination as Argo CD spells it (exactly one of `server` / `name`, then `namespace`). */
export function destinationSpec(d: ArgoDestination): Record<string, string> {
  return d.server !== undefined
    ? { server: d.server, namespace: d.namespace }
    : { name: d.name, namespace: d.namespace };
}

/** A stable key for comparing destinations, e.g. `server=https://kubernetes.default.svc ns=guestlist-dev`. */
export function destinationKey(d: { server?: string; name?: string; namespace?: string }): string {
  const cluster = d.server !== undefined ? `server=${d.server}` : `name=${d.name ?? ''}`;
  return `${cluster} ns=${d.namespace ?? ''}`;
}
