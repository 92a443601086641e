/** A rendered Kubernetes object (plain JSON). */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** Rendered files: output folder (below dist/) → file name → content. */
export type RenderedTree = Map<string, Map<string, string>>;

/** Every gate failure of one run (schema and policy), each one line. */
export class GateError extends Error {
  constructor(readonly errors: readonly string[]) {
    super(`${errors.length} problem(s) found before writing; nothing was written:\n${errors.join('\n')}`);
    this.name = 'GateError';
  }
}
