// The README's test command on a fresh machine: without the programs npm cannot install, `npm test` stops in its
// first second with one line naming every missing program and the one command that installs them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');

describe('npm test on a machine without the Debian programs', () => {
  it('should stop at once with one line listing each missing program and the command that installs them', () => {
    // A PATH holding only this Node: no java, kubectl, chromium, prometheus, shellcheck, lua or openssl.
    const bin = mkdtempSync(join(tmpdir(), 'preflight-'));
    try {
      symlinkSync(process.execPath, join(bin, 'node'));
      const started = Date.now();
      const r = spawnSync(join(bin, 'node'), [join(root, 'test', 'preflight.mjs')], {
        encoding: 'utf8',
        env: { PATH: bin },
      });
      expect(Date.now() - started).toBeLessThan(1000);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toEqual([
        'npm test: missing java >= 17, kubectl, chromium, prometheus, promtool, shellcheck, lua5.4, openssl; install with: eval "$(.ci/setup)" (it runs apt-get through sudo for a missing Debian program, and puts the .nvmrc Node on this shell\'s PATH); kubectl >= 1.27 is not in Debian: install it from the Kubernetes release you run; then run npm test again',
      ]);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it('should pass silently where everything is installed (this machine)', () => {
    const r = spawnSync(process.execPath, [join(root, 'test', 'preflight.mjs')], {
      encoding: 'utf8',
      env: { PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` },
    });
    expect([r.status, r.stderr]).toEqual([0, '']);
  });
});
