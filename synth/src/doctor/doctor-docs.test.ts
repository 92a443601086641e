// docs/production.md, "Before the first deploy: npm run doctor", shows exactly the checks doctor prints, and
// every rule doctor reports; README's command table lists the command.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PREREQUISITES } from '../charts/prerequisites';
import { DOCTOR_RULES } from './finding';
import { prerequisiteCheck } from './prerequisite-checks';

const ROOT = join(__dirname, '..', '..', '..');
const docs = readFileSync(join(ROOT, 'docs', 'production.md'), 'utf8');
const section = docs.slice(
  docs.indexOf('## Before the first deploy: npm run doctor'),
  docs.indexOf('## Cluster prerequisites'),
);

describe('doctor in the docs', () => {
  it('should show the check command of every prerequisite component as doctor prints it', () => {
    const target = {
      context: '<entry>',
      eksClusterName: '<eksClusterName>',
      region: '<region>',
      namespace: 'n',
      objects: [],
    };
    expect(section.length).toBeGreaterThan(100);
    for (const { component } of PREREQUISITES) {
      const check = prerequisiteCheck(component, target);
      expect(section, component).toContain(`| ${component} | \`${check?.command}\` |`);
    }
  });

  it('should explain every rule that breaks a first deploy', () => {
    for (const rule of DOCTOR_RULES.filter((r) => r !== 'prerequisite' && r !== 'workflow-setting')) {
      expect(section, rule).toContain(`| \`${rule}\` |`);
    }
  });

  it('should be a row of the README command table', () => {
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toMatch(
      /^\| `npm run doctor \[-- <env>\.\.\.\]` \|/m,
    );
  });
});
