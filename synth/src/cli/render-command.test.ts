import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readTree, runCli } from '../../test/cli';
import { clearSwapFailure, failSwap } from '../../test/failing-swap';
import { cliCommand } from '../../test/launcher';
import { EnvironmentFileSchema } from '../config';

// The write-failure test makes the swap of dist/'s second folder fail (synth/test/failing-swap.ts).
vi.mock('node:fs', async (importOriginal) =>
  (await import('../../test/failing-swap')).withFailingSwap(await importOriginal()),
);

/** Every top-level key of an environment file, as unknown-key messages list them. */
const TOP_KEYS = Object.keys(EnvironmentFileSchema.shape).join(', ');

const REPO = join(__dirname, '..', '..', '..');
const ALICE =
  '# yaml-language-server: $schema=./schema.json\nname: alice\nimage: { tag: "0.1.0" }\ncluster: nonprod\n';
let work: string;

/** Runs the real (bundled) CLI as a process against the temp copy, as `npm run synth` does. */
function spawnSynth(...args: string[]) {
  const r = spawnSync(...cliCommand(...args), {
    cwd: work,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the CLI in-process in the temp copy (cwd = the copy, so paths print as `dist/...`). */
function synth(args: string[] = [], options: { env?: Record<string, string> } = {}) {
  return runCli(args, { cwd: work, ...options });
}

/** Every file under dist/ and environments/ with its bytes. */
const tree = () => readTree(work, ['dist', 'environments']);

/** Number of files in dist/<env> of the temp copy. */
function files(env: string): number {
  return readdirSync(join(work, 'dist', env)).length;
}

function edit(file: string, from: string, to: string): void {
  const path = join(work, file);
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} has no "${from}"`);
  writeFileSync(path, text.replace(from, to));
}

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'synth-cli-'));
  for (const dir of ['environments', 'argocd', 'dist'])
    cpSync(join(REPO, dir), join(work, dir), { recursive: true });
});

afterEach(() => {
  clearSwapFailure();
  rmSync(work, { recursive: true, force: true });
});

describe('synth (the bundled CLI as a process)', () => {
  it('should find the committed dist/ up to date, then fail --check with exit 1 once an environment changes', () => {
    const clean = spawnSynth('--check');
    expect(clean.stdout).toMatch(/^synth --check: dist is up to date \(4 folders, \d+ ms\)\n$/);
    expect(clean.code).toBe(0);
    edit('environments/dev.yaml', 'logLevel: debug', 'logLevel: info');
    const stale = spawnSynth('--check');
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('differs: dist/dev/configmap-guestlist.yaml\n');
    expect(stale.stderr).toContain('  -  LOG_LEVEL: debug\n  +  LOG_LEVEL: info\n');
  });

  it('should exit 2 on a usage error and never print a stack trace', () => {
    const r = spawnSynth('--chek');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'synth: unknown option --chek; did you mean --check? (options: --check, --env, --allow-remove, --out, --environments, --help)\n',
    );
  });
});

describe('synth render', () => {
  it('should produce identical bytes on a second run, and report no changes', async () => {
    rmSync(join(work, 'dist'), { recursive: true });
    expect((await synth()).code).toBe(0);
    const first = tree();
    const second = await synth();
    expect(second.code).toBe(0);
    expect(second.out).toMatch(
      /^synth: rendered dev, prod, staging, argocd into dist: no changes \(\d+ ms\)$/,
    );
    expect(tree()).toEqual(first);
  });

  it('should report every config error with its position, exit 1 and write nothing', async () => {
    const before = tree();
    edit('environments/prod.yaml', 'tag: "0.1.0"', 'tag: latest');
    edit('environments/dev.yaml', 'logLevel: debug', 'loglevel: debug');
    const after = tree();
    const r = await synth();
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      [
        `environments/dev.yaml:24:1 loglevel: unknown key; did you mean "logLevel"? (allowed: ${TOP_KEYS})`,
        'environments/prod.yaml:9:8 image.tag: "latest" is not allowed (pin a version; the cluster would never notice a new image)',
        'synth: 2 error(s); nothing was written',
      ].join('\n'),
    );
    expect(tree()).toEqual(after);
    expect(before).not.toEqual(after);
  });

  it('should stop at the policy gate with the environment, object, rule and key, writing nothing', async () => {
    edit(
      'environments/prod.yaml',
      '  digest: sha256:2ca9225ccae23b1f1a6002d514da74c5d28198302c811a3605cef62c752629f1\n',
      '',
    );
    const before = tree();
    const r = await synth();
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'prod: Deployment/guestlist [image-digest] container "guestlist" image "registry.example.com/guestlist:0.1.0" is not pinned by digest, but imagePolicy.requireDigest is true (change image.digest in environments/prod.yaml)',
    );
    expect(tree()).toEqual(before);
  });

  it('should accept a waiver with a reason and report the waived violation', async () => {
    edit(
      'environments/prod.yaml',
      '  digest: sha256:2ca9225ccae23b1f1a6002d514da74c5d28198302c811a3605cef62c752629f1\n',
      '',
    );
    edit(
      'environments/prod.yaml',
      'logLevel: warn\n',
      'logLevel: warn\nwaivers:\n  - rule: image-digest\n    reason: first release is built before the digest step exists\n',
    );
    const r = await synth();
    expect(r.code).toBe(0);
    expect(r.err).toContain('synth: prod: Deployment/guestlist [image-digest] waived:');
  });

  it('should remove the file of an object that is no longer rendered', async () => {
    edit('environments/dev.yaml', 'ingress:\n  enabled: true', 'ingress:\n  enabled: false');
    expect((await synth()).code).toBe(0);
    expect(readdirSync(join(work, 'dist', 'dev'))).not.toContain('ingress-guestlist.yaml');
  });

  it('should leave dist/ exactly as it was when a write fails between folders, with one line and exit 1', async () => {
    edit('environments/dev.yaml', 'logLevel: debug', 'logLevel: warn');
    edit('environments/prod.yaml', 'logLevel: warn', 'logLevel: error');
    const before = tree();
    failSwap(1, 'injected failure after the first folder was swapped');
    const r = await synth();
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      'synth: internal error: injected failure after the first folder was swapped (a bug in synth, not in your files; SYNTH_DEBUG=1 prints the stack trace)',
    );
    expect(tree()).toEqual(before);
    expect(readdirSync(work).sort()).toEqual(['argocd', 'dist', 'environments']);
    const debug = await synth([], { env: { SYNTH_DEBUG: '1' } });
    expect(debug.err).toContain('    at ');
  });
});

describe('synth --env (a subset)', () => {
  it('should render a new environment and dist/argocd together, so the next --check passes', async () => {
    writeFileSync(join(work, 'environments', 'alice.yaml'), ALICE);
    const r = await synth(['--env', 'alice']);
    // Every file of dist/alice, and in dist/argocd its Application and its own AppProject.
    expect(r.out).toMatch(
      new RegExp(
        `^synth: rendered alice, argocd into dist: ${files('alice') + 2} file\\(s\\) changed \\(\\d+ ms\\)$`,
      ),
    );
    expect(readFileSync(join(work, 'dist/argocd/application-guestlist-alice.yaml'), 'utf8')).toContain(
      'dist/alice',
    );
    expect((await synth(['--check'])).code).toBe(0);
  });

  it('should leave the other environments alone', async () => {
    edit('environments/dev.yaml', 'logLevel: debug', 'logLevel: warn');
    writeFileSync(join(work, 'environments', 'alice.yaml'), ALICE);
    expect((await synth(['--env', 'alice'])).code).toBe(0);
    expect(readFileSync(join(work, 'dist/dev/configmap-guestlist.yaml'), 'utf8')).toContain(
      'LOG_LEVEL: debug',
    );
  });

  it('should be a usage error (exit 2) to name something that is not an environment, listing the real ones', async () => {
    const r = await synth(['--env', 'nope', '--env', 'prdo', '--env', 'argocd']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      [
        'synth: --env "nope": no such environment (environments: dev, prod, staging)',
        'synth: --env "prdo": no such environment; did you mean "prod"? (environments: dev, prod, staging)',
        'synth: --env "argocd": dist/argocd/ is not an environment; it is rendered with every --env',
      ].join('\n'),
    );
  });

  it('should refuse to run while an environment is pending removal, writing nothing', async () => {
    unlinkSync(join(work, 'environments', 'dev.yaml'));
    edit('environments/staging.yaml', 'promotion:\n  from: dev\n', '');
    const before = tree();
    const r = await synth(['--env', 'staging']);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      'dist/dev/ is not rendered any more (there is no environment file "dev"); a run with --env never removes an environment: run synth without --env to remove it\nsynth: refused; nothing was written',
    );
    expect(tree()).toEqual(before);
  });
});

describe('removing an environment', () => {
  it('should name every environment it removes, with its folder and Application', async () => {
    unlinkSync(join(work, 'environments', 'dev.yaml'));
    edit('environments/staging.yaml', 'promotion:\n  from: dev\n', '');
    const count = files('dev');
    const r = await synth();
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe(
      `synth: removed environment "dev": dist/dev/ (${count} files) and its Argo CD Application guestlist-dev (its environment file is gone)`,
    );
    expect(existsSync(join(work, 'dist', 'dev'))).toBe(false);
    expect(existsSync(join(work, 'dist', 'argocd', 'application-guestlist-dev.yaml'))).toBe(false);
  });

  it('should refuse to remove a protected environment without --allow-remove, and remove it with it', async () => {
    unlinkSync(join(work, 'environments', 'prod.yaml'));
    const count = files('prod');
    const before = tree();
    const refused = await synth();
    expect(refused.code).toBe(1);
    expect(refused.err).toBe(
      `environment "prod" is protected: its environment file is gone, which would remove dist/prod/ (${count} files) and its Argo CD Application guestlist-prod; restore the file, or pass --allow-remove prod to remove it\nsynth: refused; nothing was written`,
    );
    expect(tree()).toEqual(before);
    const check = await synth(['--check']);
    expect(check.code).toBe(1);
    expect(check.err).toContain(`not rendered any more: dist/prod/ (${count} files)\n`);
    expect(check.err).toContain('synth --check: "prod" is protected; removing it needs --allow-remove prod');
    const allowed = await synth(['--allow-remove', 'prod']);
    expect(allowed.code).toBe(0);
    expect(allowed.out).toContain(`synth: removed environment "prod": dist/prod/ (${count} files)`);
    expect(existsSync(join(work, 'dist', 'prod'))).toBe(false);
  });

  it('should be a usage error to allow the removal of an environment that is not being removed', async () => {
    const r = await synth(['--allow-remove', 'prod', '--allow-remove', 'qa']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      [
        'synth: --allow-remove "prod": its environment file still exists, so "prod" is not being removed',
        'synth: --allow-remove "qa": no environment of that name is being removed (being removed: none)',
      ].join('\n'),
    );
  });
});

describe('synth --check (from the point of view of dist/)', () => {
  it('should say what is missing in dist/, not rendered any more, and what differs', async () => {
    writeFileSync(join(work, 'environments', 'alice.yaml'), ALICE);
    edit('environments/dev.yaml', 'logLevel: debug', 'logLevel: warn');
    rmSync(join(work, 'dist', 'dev', 'service-guestlist.yaml'));
    writeFileSync(
      join(work, 'dist', 'dev', 'secret-old.yaml'),
      '# Generated by synth from environments/dev.yaml - do not edit.\n',
    );
    const r = await synth(['--check']);
    expect(r.code).toBe(1);
    const lines = r.err.split('\n');
    expect(lines[0]).toMatch(
      /^synth --check: \d+ file\(s\) out of date; run `npm run synth` and commit the result$/,
    );
    expect(lines.filter((l) => /^missing in dist\/: dist\/alice\/ \(\d+ files\)$/.test(l))).toHaveLength(1);
    expect(lines).toContain('missing in dist/: dist/dev/service-guestlist.yaml');
    expect(lines).toContain('not rendered any more: dist/dev/secret-old.yaml');
    expect(lines).toContain('differs: dist/dev/configmap-guestlist.yaml');
    // A new environment leaves the other environments' projects as they are.
    expect(lines.filter((l) => l.startsWith('differs: dist/argocd/appproject-'))).toEqual([]);
  });

  it('should say when a file differs only in line endings or trailing whitespace', async () => {
    const file = join(work, 'dist', 'dev', 'configmap-guestlist.yaml');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(/\n/g, '\r\n'));
    const service = join(work, 'dist', 'dev', 'service-guestlist.yaml');
    writeFileSync(service, readFileSync(service, 'utf8').replace('kind: Service\n', 'kind: Service  \n'));
    const r = await synth(['--check']);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'differs only in line endings (CRLF in the file; synth writes LF): dist/dev/configmap-guestlist.yaml\n',
    );
    expect(r.err).toContain('differs only in trailing whitespace (line 3): dist/dev/service-guestlist.yaml');
    expect(r.err).not.toContain('@@');
  });
});

describe('environment files', () => {
  it('should read .yml files like .yaml files', async () => {
    writeFileSync(join(work, 'environments', 'alice.yml'), ALICE);
    expect((await synth()).code).toBe(0);
    expect(readFileSync(join(work, 'dist/alice/configmap-guestlist.yaml'), 'utf8')).toMatch(
      /^# Generated by synth from environments\/alice\.yml - do not edit\.\n/,
    );
  });

  it('should reject one environment defined by a .yaml and a .yml file with one positioned error', async () => {
    writeFileSync(join(work, 'environments', 'alice.yaml'), ALICE);
    writeFileSync(join(work, 'environments', 'alice.yml'), ALICE);
    const before = tree();
    const r = await synth();
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      'environments/alice.yml:1:1 (file): environment "alice" is defined twice, by environments/alice.yaml and environments/alice.yml; keep one of the two files\nsynth: 1 error(s); nothing was written',
    );
    expect(tree()).toEqual(before);
  });
});

describe('bad folders', () => {
  it('should name a missing environments folder in one line, exit 1', async () => {
    const r = await synth(['--environments', 'nowhere']);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `${join(work, 'nowhere')}: cannot read the folder of environment files (ENOENT); see --environments\nsynth: 1 error(s); nothing was written`,
    );
  });
});

describe('synth commands', () => {
  it('should list the commands with synth help and refuse an unknown command with exit 2', async () => {
    const help = await synth(['help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^ {2}npm run synth +render environments\/ into dist\//m);
    const unknown = await synth(['rendr']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(
      /^synth: command "rendr": unknown command; did you mean "render"\? \(commands: render(, [a-z-]+)*\)$/,
    );
    expect((await synth(['render', '--check'])).code).toBe(0);
  });

  it('should give every command the same exit codes: 0 for --help, 2 for an unknown option, no stack trace', async () => {
    const help = await synth(['help']);
    const scripts = [...help.out.matchAll(/^ {2}npm run ([a-z:-]+) {2,}/gm)].map((m) => m[1] as string);
    expect(scripts.length).toBeGreaterThan(5);
    // The command each npm script runs (`argocd:pin` runs argocd-pin, `synth` the default command, render).
    const names = scripts.map((s) => (s === 'synth' ? 'render' : s.replace(':', '-')));
    for (const name of names) {
      const usage = await synth([name, '--help']);
      expect(usage.code, `${name} --help`).toBe(0);
      const bad = await synth([name, '--bogus']);
      expect(bad.code, `${name} --bogus: ${bad.output}`).toBe(2);
      expect(bad.err, name).toMatch(/unknown (option --bogus|action)/);
      expect(bad.output, name).not.toMatch(/\n\s+at /);
    }
  });
});
