/** Props of {@link Readiness}. */
export interface ReadinessProps {
  /** Resolves when the dependency answers; its error message becomes the reason. */
  readonly check: () => Promise<void>;
  /** How long a check result is reused. @default 1500 */
  readonly cacheMs?: number;
  /** Clock, for tests. @default Date.now */
  readonly now?: () => number;
}

/** Outcome of a readiness check. */
export type ReadinessState = { readonly ready: true } | { readonly ready: false; readonly reason: string };

/** Readiness: not ready while draining, else the (briefly cached, coalesced) result of the table check. */
export class Readiness {
  private draining = false;
  private cached: { at: number; state: Promise<ReadinessState> } | undefined;
  private readonly check: () => Promise<void>;
  private readonly cacheMs: number;
  private readonly now: () => number;

  constructor(props: ReadinessProps) {
    this.check = props.check;
    this.cacheMs = props.cacheMs ?? 1500;
    this.now = props.now ?? Date.now;
  }

  /** Marks the server as shutting down; `/readyz` answers 503 from now on. */
  startDraining(): void {
    this.draining = true;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  async state(): Promise<ReadinessState> {
    if (this.draining) return { ready: false, reason: 'draining: the server is shutting down' };
    const now = this.now();
    if (this.cached === undefined || now - this.cached.at >= this.cacheMs) {
      this.cached = {
        at: now,
        state: this.check().then(
          (): ReadinessState => ({ ready: true }),
          (err: unknown): ReadinessState => ({ ready: false, reason: (err as Error).message }),
        ),
      };
    }
    return this.cached.state;
  }
}
