import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORE_SCHEMA, load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { RenderedTree as RenderedFiles } from '../../domain/rendered-tree';
import { formatMarkdown, formatText, GITHUB_COMMENT_LIMIT } from './diff-format';
import { diffRendered } from './rendered-diff';

const DIST = join(import.meta.dirname, '..', '..', '..', '..', 'dist');

function folder(name: string): Map<string, string> {
  const dir = join(DIST, name);
  return new Map(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

/** The committed dev folder, and a copy with a new image, a ConfigMap change and the Ingress removed. */
function devPair(): { before: RenderedFiles; after: RenderedFiles } {
  const dev = folder('dev');
  const next = new Map(dev);
  const deployment = dev.get('deployment-guestlist.yaml') as string;
  next.set('deployment-guestlist.yaml', deployment.replace('guestlist:0.1.0', 'guestlist:0.2.0'));
  const configMap = dev.get('configmap-guestlist.yaml') as string;
  next.set('configmap-guestlist.yaml', configMap.replace('LOG_LEVEL: debug', 'LOG_LEVEL: info'));
  next.delete('ingress-guestlist.yaml');
  return { before: new Map([['dev', dev]]), after: new Map([['dev', next]]) };
}

describe('diffRendered', () => {
  it('should read every committed rendered file exactly as the yaml package reads it (YAML 1.2 core)', () => {
    let files = 0;
    for (const env of readdirSync(DIST)) {
      for (const [file, text] of folder(env)) {
        files++;
        expect({ file: `${env}/${file}`, value: load(text, { schema: CORE_SCHEMA }) }).toEqual({
          file: `${env}/${file}`,
          value: parse(text),
        });
      }
    }
    expect(files).toBeGreaterThan(60);
    // Where YAML 1.1 and js-yaml's default schema differ from the core schema, diff reads as yaml does.
    const tricky = 'a: 2026-01-01\nb: yes\nc: 0o17\nd: ~\ne: .inf\n';
    expect(load(tricky, { schema: CORE_SCHEMA })).toEqual(parse(tricky));
  });

  it('should list the removed Ingress and the image first, then the plain change', () => {
    const { before, after } = devPair();
    const changes = diffRendered(before, after);
    expect(changes.map((c) => [c.kind, c.change, c.risks])).toEqual([
      ['Ingress', 'removed', ['removed', 'ingress']],
      ['Deployment', 'changed', ['image']],
      ['ConfigMap', 'changed', []],
    ]);
    expect(changes[1]?.fields).toEqual([
      {
        path: 'spec.template.spec.containers[name=guestlist].image',
        change: 'changed',
        before: 'registry.example.com/guestlist:0.1.0',
        after: 'registry.example.com/guestlist:0.2.0',
      },
    ]);
  });

  it('should find nothing when only a comment differs', () => {
    const dev = folder('dev');
    const next = new Map([...dev].map(([f, t]) => [f, t.replace('do not edit.', 'do not edit!')]));
    expect(diffRendered(new Map([['dev', dev]]), new Map([['dev', next]]))).toEqual([]);
  });

  it('should report a whole new folder as added objects', () => {
    const changes = diffRendered(new Map(), new Map([['dev', folder('dev')]]));
    expect(changes.every((c) => c.change === 'added')).toBe(true);
    expect(changes.find((c) => c.kind === 'NetworkPolicy')?.risks).toEqual(['network-policy']);
  });
});

describe('diffRendered on the ACK objects of prod', () => {
  it('should flag a widened IAM policy, a table deletion policy and an association as aws, never rbac', () => {
    const prod = folder('prod');
    const next = new Map(prod);
    const edit = (file: string, from: string, to: string) => {
      const text = prod.get(file) as string;
      expect(text).toContain(from);
      next.set(file, text.replace(from, to));
    };
    edit(
      'role-guestlist.yaml',
      '\\"dynamodb:DeleteItem\\",',
      '\\"dynamodb:DeleteItem\\",\\"dynamodb:Query\\",',
    );
    edit('table-guestlist.yaml', 'deletion-policy: retain', 'deletion-policy: delete');
    edit('podidentityassociation-guestlist.yaml', 'role/guestlist-prod', 'role/other');
    const changes = diffRendered(new Map([['prod', prod]]), new Map([['prod', next]]));
    expect(changes.map((c) => [c.apiVersion, c.kind, c.risks, c.fields.map((f) => f.path)])).toEqual([
      ['eks.services.k8s.aws/v1alpha1', 'PodIdentityAssociation', ['aws'], ['spec.roleARN']],
      ['iam.services.k8s.aws/v1alpha1', 'Role', ['aws'], [expect.stringMatching(/^spec\.inlinePolicies/)]],
      [
        'dynamodb.services.k8s.aws/v1alpha1',
        'Table',
        ['aws'],
        ['metadata.annotations."services.k8s.aws/deletion-policy"'],
      ],
    ]);
    // Only the tags changed: no risk.
    const tagsOnly = new Map(prod);
    const table = prod.get('table-guestlist.yaml') as string;
    tagsOnly.set('table-guestlist.yaml', table.replace('value: argocd-ack', 'value: argocd-ack-2'));
    expect(
      diffRendered(new Map([['prod', prod]]), new Map([['prod', tagsOnly]])).map((c) => c.risks),
    ).toEqual([[]]);
  });
});

describe('formatText', () => {
  it('should print risky objects first, marked, with old and new values', () => {
    const { before, after } = devPair();
    expect(formatText(diffRendered(before, after), { base: 'HEAD~1', head: 'working tree' })).toBe(
      [
        'Rendered diff HEAD~1 → working tree: 3 object(s) in 1 folder(s): 2 changed, 0 added, 1 removed; 2 risky',
        '',
        '! dev: Ingress/guestlist (guestlist-dev) removed [risk: removed, ingress]',
        '',
        '! dev: Deployment/guestlist (guestlist-dev) changed [risk: image]',
        '    spec.template.spec.containers[name=guestlist].image: "registry.example.com/guestlist:0.1.0" → "registry.example.com/guestlist:0.2.0"',
        '',
        '~ dev: ConfigMap/guestlist (guestlist-dev) changed',
        '    data.LOG_LEVEL: "debug" → "info"',
      ].join('\n'),
    );
  });
});

describe('formatMarkdown', () => {
  it('should put the risky table first and each environment in a collapsed block', () => {
    const { before, after } = devPair();
    const md = formatMarkdown(diffRendered(before, after), { base: 'main', head: 'this PR' });
    expect(md).toContain(
      '| dev | Deployment/guestlist | image | `spec.template.spec.containers[name=guestlist].image: "registry.example.com/guestlist:0.1.0" → "registry.example.com/guestlist:0.2.0"` |',
    );
    expect(md).toContain('<details><summary><b>dev</b>: 2 changed, 0 added, 1 removed (2 risky)</summary>');
    expect(md.indexOf('Risky changes')).toBeLessThan(md.indexOf('<details>'));
  });

  it('should stay under the comment limit and name the environments left out', () => {
    const dev = folder('dev');
    const before = new Map<string, Map<string, string>>();
    const after = new Map<string, Map<string, string>>();
    for (let i = 0; i < 250; i++) {
      const env = `env${String(i).padStart(3, '0')}`;
      before.set(env, dev);
      after.set(
        env,
        new Map([...dev].map(([f, t]) => [f, t.replace('guestlist:0.1.0', `guestlist:0.2.${i}`)])),
      );
    }
    const md = formatMarkdown(diffRendered(before, after), { base: 'HEAD~1', head: 'working tree' });
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(md).toMatch(
      /> \*\*Truncated\*\* to fit GitHub's 65,536-character comment limit: the details of \d+ environment\(s\) are left out \(env\d{3}, .* and \d+ more\)\. Run `npm run diff -- --base HEAD~1` to see everything\.$/,
    );
    expect(md).toContain('<details><summary><b>env000</b>');
  });
});
