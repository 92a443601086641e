// Messages the documentation quotes are the CLI's real output: run the command the text describes in a copy of
// the repository and find its exact line in the document (line breaks of the Markdown are ignored).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('messages quoted in synth/README.md', () => {
  it('should quote the refusal to remove a protected environment exactly as synth prints it', () => {
    const work = mkdtempSync(join(tmpdir(), 'doc-examples-'));
    try {
      for (const dir of ['environments', 'dist', 'argocd'])
        cpSync(join(root, dir), join(work, dir), { recursive: true });
      rmSync(join(work, 'environments', 'prod.yaml'));
      const r = spawnSync('sh', [join(root, 'synth', 'bin', 'synth')], {
        cwd: work,
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(r.status).toBe(1);
      const line = r.stderr.split('\n')[0] ?? '';
      expect(line).toMatch(/^environment "prod" is protected/);
      expect(flat(readFileSync(join(root, 'synth', 'README.md'), 'utf8'))).toContain(`\`${line}\``);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
