// A lock file, so two ops commands in one working tree check and write their files one at a time.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { refused } from '../errors';

const POLL_MS = 25;

/**
 * Runs `fn` while holding an exclusive lock file (created with O_EXCL, holding our pid), so two ops commands
 * in one working tree check-and-write their files one at a time. A lock left by a dead process is taken
 * over; a live holder is waited for up to `timeoutMs`, then the command is refused.
 */
export function withLock<T>(path: string, fn: () => T, timeoutMs = 60_000): T {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (holderIsGone(path)) {
        rmSync(path, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw refused(
          `${path}: another ops command has held this lock for over ${timeoutMs / 1000} s; retry later`,
        );
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, POLL_MS);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(path, { force: true });
  }
}

function holderIsGone(path: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(path, 'utf8'));
  } catch {
    return false; // removed meanwhile, or being written: try again
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
