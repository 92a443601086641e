import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kustomize, REPO_ROOT, withTempCopy } from '../../test/argocd';
import { ACK_SCHEMAS } from '../render/ack-schemas';

const PATCH = join(REPO_ROOT, 'argocd/install/argocd-cm-ack-health.yaml');
const PREFIX = 'resource.customizations.health.';
const scripts = (parse(readFileSync(PATCH, 'utf8')) as { data: Record<string, string> }).data;

// The objects the install patches target, with upstream's names (the real upstream is a URL).
const STAND_IN = `
apiVersion: v1
kind: ConfigMap
metadata: { name: argocd-cm }
data: { url: "https://argocd.example.com" }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: argocd-rbac-cm }
`;

/** A plain value as a Lua table constructor (the fixtures are ASCII). */
function lua(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `{${value.map(lua).join(', ')}}`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `[${JSON.stringify(k)}] = ${lua(v)}`)
    .join(', ')}}`;
}

/** Runs a health script with the real Lua interpreter, as Argo CD does: `obj` in scope, a table returned. */
function health(script: string, obj: unknown): { status: string; message: string } {
  const program = `local function check(obj)\n${script}\nend\nlocal hs = check(${lua(obj)})\nio.write(hs.status, "\\t", hs.message or "")`;
  const [status = '', message = ''] = execFileSync('lua5.4', ['-'], {
    input: program,
    encoding: 'utf8',
  }).split('\t');
  return { status, message };
}

const condition = (type: string, status: string, message?: string) => ({
  type,
  status,
  ...(message && { message }),
});

describe('argocd/install/argocd-cm-ack-health.yaml', () => {
  it('should define one health check for each ACK kind synth renders, all the same script', () => {
    const kinds = Object.keys(ACK_SCHEMAS).map((k) => {
      const [group, , kind] = k.split('/');
      return `${PREFIX}${group}_${kind}`;
    });
    expect(Object.keys(scripts).sort()).toEqual(kinds.sort());
    expect(new Set(Object.values(scripts)).size).toBe(1);
  });

  it('should merge into upstream argocd-cm, keeping its keys and ours (real kubectl kustomize)', () => {
    const objs = withTempCopy(['argocd/install'], (tmp) => {
      const dir = join(tmp, 'argocd/install');
      const file = join(dir, 'kustomization.yaml');
      writeFileSync(join(dir, 'upstream-stand-in.yaml'), STAND_IN);
      const text = readFileSync(file, 'utf8');
      const remote = /https:\/\/\S+install\.yaml/.exec(text)?.[0] ?? '<none>';
      writeFileSync(file, text.replace(remote, 'upstream-stand-in.yaml'));
      return kustomize(dir);
    });
    const cm = objs.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'argocd-cm') as unknown as {
      data: Record<string, string>;
    };
    expect(cm.data.url).toBe('https://argocd.example.com');
    expect(cm.data['application.resourceTrackingMethod']).toBe('annotation');
    for (const [key, script] of Object.entries(scripts)) expect(cm.data[key]).toBe(script);
  });

  describe.each(Object.keys(scripts))('%s', (key) => {
    const script = scripts[key] as string;

    it('should be Progressing until the controller has reported, then Healthy once ACK.ResourceSynced is True', () => {
      expect(health(script, { metadata: { name: 'x' } })).toEqual({
        status: 'Progressing',
        message: 'Waiting for the ACK controller to report ACK.ResourceSynced',
      });
      expect(
        health(script, {
          status: { conditions: [condition('ACK.ResourceSynced', 'False', 'Resource not synced')] },
        }),
      ).toEqual({ status: 'Progressing', message: 'Resource not synced' });
      expect(
        health(script, {
          status: {
            conditions: [
              condition('ACK.Recoverable', 'True', 'throttled'),
              condition('ACK.ResourceSynced', 'True'),
            ],
          },
        }),
      ).toEqual({ status: 'Healthy', message: '' });
    });

    it('should be Degraded on ACK.Terminal, whatever ACK.ResourceSynced says', () => {
      expect(
        health(script, {
          status: {
            conditions: [
              condition('ACK.ResourceSynced', 'True'),
              condition('ACK.Terminal', 'True', 'ResourceInUseException: Table already exists'),
            ],
          },
        }),
      ).toEqual({ status: 'Degraded', message: 'ResourceInUseException: Table already exists' });
      expect(
        health(script, {
          status: {
            conditions: [condition('ACK.Terminal', 'False'), condition('ACK.ResourceSynced', 'True')],
          },
        }).status,
      ).toBe('Healthy');
    });
  });
});
