import { type ChildProcess, fork, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { FromLoad, Scenario, ToLoad } from './scenario';
import type { ScenarioResult } from './stats';

/** A server process started by the bench. */
export interface ServerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly baseUrl: string;
  /** Spawn until the first 200 on the ready path, in ms. */
  readonly coldStartMs: number;
  /** SIGTERM, then SIGKILL after 10 s; resolves when it exited. */
  stop(): Promise<void>;
}

/** Options for {@link startNodeServer}. */
export interface StartOptions {
  readonly script: string;
  readonly port: number;
  readonly env: Readonly<Record<string, string>>;
  /** @default '/healthz' */
  readonly readyPath?: string;
  /** @default 30000 */
  readonly timeoutMs?: number;
  /**
   * Start it in a session of its own (`setsid`). Where Linux groups processes by session for CPU
   * scheduling (autogroup), the server then gets its own share of the CPUs, as a pod in its own cgroup
   * does, instead of splitting one share with the bench's load generator and DynamoDB Local. It is
   * killed when the bench exits. @default false
   */
  readonly ownSchedulingGroup?: boolean;
  /** Options for node itself, before the script (e.g. `--cpu-prof`). @default none */
  readonly nodeArgs?: readonly string[];
}

/** Kills `child` if this process exits first (a detached child would otherwise outlive it). */
export function killOnExit(child: ChildProcess): void {
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  child.once('exit', () => process.off('exit', kill));
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveExit) => child.once('exit', () => resolveExit()));
}

/** Spawns `node <script>` (stdout discarded, stderr kept for errors) and polls until it answers 200. */
export async function startNodeServer(options: StartOptions): Promise<ServerProcess> {
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const readyUrl = `${baseUrl}${options.readyPath ?? '/healthz'}`;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.script], {
    env: { PATH: process.env.PATH ?? '', ...options.env, PORT: String(options.port) },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: options.ownSchedulingGroup ?? false,
  });
  if (options.ownSchedulingGroup) killOnExit(child);
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`${options.script} exited with ${child.exitCode}: ${stderr}`);
    try {
      const response = await fetch(readyUrl);
      await response.arrayBuffer();
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (performance.now() - spawnedAt > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`${readyUrl} did not answer 200 within ${timeoutMs} ms: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  const coldStartMs = performance.now() - spawnedAt;
  return {
    child,
    pid: child.pid as number,
    baseUrl,
    coldStartMs,
    stop: async () => {
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.kill('SIGTERM');
      await exited(child);
      clearTimeout(force);
    },
  };
}

/** True when Linux schedules CPU time between sessions (autogroup), so a new session gets its own share. */
export function autogroupScheduling(): boolean {
  try {
    return readFileSync('/proc/sys/kernel/sched_autogroup_enabled', 'utf8').trim() === '1';
  } catch {
    return false;
  }
}

/** Resident set size of a process in MiB, from /proc/<pid>/status; NaN once it is gone. */
export function rssMiB(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Samples a process's RSS every `intervalMs` until stopped; reports the peak in MiB. */
export function sampleRss(pid: number, intervalMs = 100): { stop(): number } {
  let peak = rssMiB(pid);
  const timer = setInterval(() => {
    const now = rssMiB(pid);
    if (now > peak || Number.isNaN(peak)) peak = now;
  }, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, rssMiB(pid));
    },
  };
}

// USER_HZ: the unit of utime/stime in /proc/<pid>/stat; 100 on every Linux architecture Node runs on.
const TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used so far, in ms; NaN once it is gone. */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/** Pid of the DynamoDB Local JVM listening on `port`, found through /proc. */
export function dynamoLocalPid(port: number): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (
        args.some((a) => a.endsWith('DynamoDBLocal.jar')) &&
        args[args.indexOf('-port') + 1] === String(port)
      ) {
        return Number(entry);
      }
    } catch {
      // exited meanwhile
    }
  }
  return undefined;
}

/** The bench's load process (load-worker.ts), driven over IPC. */
export interface LoadProcess {
  readonly pid: number;
  /** Runs one scenario; resolves to its result. */
  run(scenario: Scenario): Promise<ScenarioResult>;
  /** Asks it to exit; resolves when it has. */
  exit(): Promise<void>;
}

/** Forks the bundled load worker (`nodeArgs` go to node itself) and resolves once it is ready. */
export function startLoadProcess(script: string, nodeArgs: readonly string[] = []): Promise<LoadProcess> {
  const child: ChildProcess = fork(script, [], {
    execArgv: [...nodeArgs],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let waiting: ((result: ScenarioResult) => void) | undefined;
  let exiting = false;
  return new Promise((resolveReady, reject) => {
    child.once('exit', (code) => {
      if (!exiting) reject(new Error(`load process exited with ${code}`));
    });
    child.on('message', (message: FromLoad) => {
      if (message.type === 'ready') {
        resolveReady({
          pid: child.pid as number,
          run: (scenario) =>
            new Promise((resolveResult) => {
              waiting = resolveResult;
              child.send({ type: 'run', scenario } satisfies ToLoad);
            }),
          exit: () => {
            exiting = true;
            const gone = exited(child);
            if (child.connected) child.send({ type: 'exit' } satisfies ToLoad);
            return gone;
          },
        });
      } else {
        waiting?.(message.result);
        waiting = undefined;
      }
    });
  });
}
