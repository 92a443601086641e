// The Application health check of argocd/install: with the real Lua interpreter, an Application is as healthy as
// Argo CD reports it (Progressing until then), so the root app's sync waves wait for the add-ons; and the patch
// merges into upstream's argocd-cm (real kubectl kustomize).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kustomize, REPO_ROOT, withTempCopy } from '../../test/argocd';

const KEY = 'resource.customizations.health.argoproj.io_Application';
const script = (
  parse(readFileSync(join(REPO_ROOT, 'argocd/install/argocd-cm-app-health.yaml'), 'utf8')) as {
    data: Record<string, string>;
  }
).data[KEY] as string;

/** Runs the script as Argo CD does (`obj` in scope, a table returned); `obj` is given as a Lua table literal. */
function health(objLua: string): string {
  const program = `local function check(obj)\n${script}\nend\nlocal hs = check(${objLua})\nio.write(hs.status, "|", hs.message)`;
  return execFileSync('lua5.4', ['-'], { input: program, encoding: 'utf8' });
}

describe('argocd/install/argocd-cm-app-health.yaml', () => {
  it('should be Progressing until Argo CD has assessed the Application, then its reported health', () => {
    expect(health('{ metadata = { name = "addon" } }')).toBe(
      'Progressing|Waiting for Argo CD to assess this Application',
    );
    expect(health('{ status = { sync = { status = "Synced" } } }')).toMatch(/^Progressing\|/);
    expect(health('{ status = { health = { status = "Healthy" } } }')).toBe('Healthy|');
    expect(
      health('{ status = { health = { status = "Degraded", message = "Back-off pulling image" } } }'),
    ).toBe('Degraded|Back-off pulling image');
  });

  it('should merge into upstream argocd-cm beside the ACK checks (real kubectl kustomize)', () => {
    const objs = withTempCopy(['argocd/install'], (tmp) => {
      const dir = join(tmp, 'argocd/install');
      const file = join(dir, 'kustomization.yaml');
      writeFileSync(
        join(dir, 'upstream-stand-in.yaml'),
        'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: argocd-cm }\ndata: { url: "https://argocd.example.com" }\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: argocd-rbac-cm }\n',
      );
      const text = readFileSync(file, 'utf8');
      const remote = /https:\/\/\S+install\.yaml/.exec(text)?.[0] ?? '<none>';
      writeFileSync(file, text.replace(remote, 'upstream-stand-in.yaml'));
      return kustomize(dir);
    });
    const cm = objs.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'argocd-cm') as unknown as {
      data: Record<string, string>;
    };
    expect(cm.data[KEY]).toBe(script);
    expect(cm.data['resource.customizations.health.dynamodb.services.k8s.aws_Table']).toBeDefined();
    expect(cm.data.url).toBe('https://argocd.example.com');
  });
});
