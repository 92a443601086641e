import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KNOWN_FIELDS_FILE, knownFieldsJson } from './known-fields-generate';
import { MODELS, validateSchema } from './schema-gate';
import { SCHEMA_KINDS } from './schema-kinds';

describe('validateSchema', () => {
  it('should accept a valid object', () => {
    expect(
      validateSchema({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { A: '1' } }),
    ).toEqual([]);
  });

  it('should report Kubernetes schema errors with their JSON path', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x' },
      spec: {
        replicas: 'two',
        selector: { matchLabels: { app: 'x' } },
        template: { spec: { containers: [{ name: 'x', ports: [{ name: 'http' }] }] } },
      },
    };
    expect(validateSchema(deployment)).toEqual([
      '/spec/replicas must be integer',
      '/spec/template/spec/containers/0/ports/0 must have required property containerPort',
    ]);
  });

  it('should validate Argo CD objects against the Argo CD CRD schemas', () => {
    const app = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'x' },
      spec: {},
    };
    expect(validateSchema(app)).toEqual([
      '/spec must have required property destination',
      '/spec must have required property project',
    ]);
  });

  it('should fail an object whose kind it has no schema for', () => {
    expect(validateSchema({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'x' } })).toEqual(
      [
        'no schema known for apiVersion "example.com/v1" kind "Widget" (add it to schema-kinds.ts and schema-gate.ts)',
      ],
    );
  });

  it('should reject a misspelled or unknown field anywhere, naming its path (strict, like kubeconform -strict)', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x', labels: { 'any/key': 'ok' }, annotation: { a: 'b' } },
      spec: {
        replica: 2,
        selector: { matchLabels: { app: 'x' } },
        template: {
          metadata: { labels: { app: 'x' } },
          spec: {
            containers: [
              {
                name: 'x',
                image: 'x:1',
                resources: { limits: { memory: '1Mi' } },
                imagePullPolicy: 'Always',
              },
            ],
            containres: [],
          },
        },
      },
    };
    expect(validateSchema(deployment)).toEqual([
      '/metadata/annotation: unknown field; did you mean "annotations"?',
      '/spec/replica: unknown field; did you mean "replicas"?',
      '/spec/template/spec/containres: unknown field; did you mean "containers"?',
    ]);
    const app = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'x' },
      spec: {
        project: 'p',
        destination: { server: 'https://x', namespace: 'n' },
        source: { repoURL: 'https://x', path: 'dist/x', targetRevison: 'main' },
      },
    };
    expect(validateSchema(app)).toEqual([
      '/spec/source/targetRevison: unknown field; did you mean "targetRevision"?',
    ]);
  });

  it('should look into lists of anonymous objects too (CRD fields such as rule groups and secret refs)', () => {
    const rule = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'x' },
      spec: { groups: [{ name: 'g', rules: [{ alert: 'A', exprr: 'up == 0' }] }] },
    };
    expect(validateSchema(rule)).toContain(
      '/spec/groups/0/rules/0/exprr: unknown field; did you mean "expr"?',
    );
    const secret = {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'x' },
      spec: {
        secretStoreRef: { kind: 'ClusterSecretStore', name: 's' },
        data: [{ secretKey: 'tokens', remoteRef: { key: 'k', proprety: 'p' } }],
      },
    };
    expect(validateSchema(secret)).toContain(
      '/spec/data/0/remoteRef/proprety: unknown field; did you mean "property"?',
    );
  });

  it('should know the fields of exactly the kinds it has models for', () => {
    expect(Object.keys(MODELS).sort()).toEqual(Object.keys(SCHEMA_KINDS).sort());
  });

  it('should have known-fields.json generated from the installed model packages (regenerate after an upgrade)', () => {
    expect(readFileSync(KNOWN_FIELDS_FILE, 'utf8')).toBe(knownFieldsJson());
  }, 60_000);
});
