// Whether this process takes traffic: not draining, and no table found missing or wrongly keyed at start.

/** Outcome of a readiness check. */
export type ReadinessState = { readonly ready: true } | { readonly ready: false; readonly reason: string };

/**
 * Readiness means "this process takes traffic". It turns false when draining starts, and while the start-up
 * table check (`table-check.ts`) finds a table missing or keyed otherwise than the store needs: a
 * misconfiguration that no retry fixes, where every request would fail. It never follows DynamoDB's
 * availability: a DynamoDB blip would otherwise take every pod out of the load balancer at once, replacing
 * the API's 503 + Retry-After with the load balancer's bare 503. DynamoDB's state is reported by `/health`
 * and by metrics instead.
 */
export class Readiness {
  private draining = false;
  private tables: string | undefined;

  /** Marks the server as shutting down; `/readyz` answers 503 from now on. */
  startDraining(): void {
    this.draining = true;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  /** Records what the table check found: the reason (one line), or undefined when both tables are fine. */
  setTableProblem(reason: string | undefined): void {
    this.tables = reason;
  }

  /** Why the tables cannot be used, while the table check says so. */
  get tableProblem(): string | undefined {
    return this.tables;
  }

  state(): ReadinessState {
    if (this.draining) return { ready: false, reason: 'draining: the server is shutting down' };
    return this.tables === undefined ? { ready: true } : { ready: false, reason: this.tables };
  }
}
