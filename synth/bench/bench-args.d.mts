// Types of bench-args.mjs, for the TypeScript benchmarks.
type Spec =
  | { default: number; min: number; max: number }
  | { default: string; list: true; min: number; max: number }
  | { flag: true };
export function benchArgs(
  script: string,
  specs: Record<string, Spec>,
): Record<string, number | number[] | boolean>;
