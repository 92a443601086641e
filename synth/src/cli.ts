import { main } from './main';

/** Bundle entry: runs the CLI with the process streams and returns the exit code. */
export function run(argv: readonly string[]): number {
  return main(argv);
}
