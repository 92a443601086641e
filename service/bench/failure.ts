// How a bench command ends on a failure: one line on stderr, `<tool>: <first line of the message>`, exit 1; the
// stack trace only with BENCH_DEBUG=1 (and never for a refusal, which is about the input, not the code).

/** A refusal of the input or of what the run found (one line, exit 1, no stack even with BENCH_DEBUG=1). */
export class Refused extends Error {}

/** The first non-empty line of what `err` says. */
export function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const line = message.split('\n').find((l) => l.trim() !== '');
  return line?.trim() ?? (err instanceof Error ? err.name : 'failed');
}

/** What to print on stderr for `err`: one line, then the stack when `debug` and `err` is not a refusal. */
export function failureText(tool: string, err: unknown, debug: boolean): string {
  const line = `${tool}: ${firstLine(err)}\n`;
  if (!debug || err instanceof Refused || !(err instanceof Error) || err.stack === undefined) return line;
  return `${line}${err.stack}\n`;
}

/** Runs `main`; on any failure prints `failureText` (BENCH_DEBUG=1 keeps the stack) and sets exit code 1. */
export async function runBench(tool: string, main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (err) {
    process.stderr.write(failureText(tool, err, process.env.BENCH_DEBUG === '1'));
    process.exitCode = 1;
  }
}
