import { describe, expect, it } from 'vitest';
import { validateSchema } from './schema-gate';

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
      ['no schema known for apiVersion "example.com/v1" kind "Widget" (add its model to schema-gate.ts)'],
    );
  });
});
