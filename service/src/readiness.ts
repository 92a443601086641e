/** Outcome of a readiness check. */
export type ReadinessState = { readonly ready: true } | { readonly ready: false; readonly reason: string };

/**
 * Readiness means only "this process takes traffic": it turns false when draining starts and never
 * depends on DynamoDB. A DynamoDB blip would otherwise take every pod out of the load balancer at once,
 * replacing the API's 503 + Retry-After with the load balancer's bare 503. DynamoDB's state is reported
 * by `/health` and by metrics instead.
 */
export class Readiness {
  private draining = false;

  /** Marks the server as shutting down; `/readyz` answers 503 from now on. */
  startDraining(): void {
    this.draining = true;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  state(): ReadinessState {
    return this.draining
      ? { ready: false, reason: 'draining: the server is shutting down' }
      : { ready: true };
  }
}
