// Tests of our own ExternalSecret schema: what the pinned External Secrets release accepts, and what it refuses.
import { describe, expect, it } from 'vitest';
import { externalSecretProblems } from './external-secret-schema';
import { validateSchema } from './schema-gate';

const secret = () => ({
  apiVersion: 'external-secrets.io/v1',
  kind: 'ExternalSecret',
  metadata: { name: 'guestlist-api-tokens', namespace: 'guestlist-prod' },
  spec: {
    refreshInterval: '1h',
    secretStoreRef: { kind: 'ClusterSecretStore', name: 'aws-secrets-manager' },
    target: { name: 'guestlist-api-tokens', creationPolicy: 'Owner', deletionPolicy: 'Retain' },
    data: [{ secretKey: 'tokens', remoteRef: { key: 'guestlist/prod/api-tokens' } }],
  },
});

describe('the ExternalSecret schema of the pinned External Secrets release', () => {
  it('should accept the ExternalSecret synth renders', () => {
    expect(externalSecretProblems(secret())).toEqual([]);
    expect(validateSchema(secret())).toEqual([]);
  });

  it('should refuse v1beta1, which the pinned release no longer serves (finding 1)', () => {
    expect(validateSchema({ ...secret(), apiVersion: 'external-secrets.io/v1beta1' })).toEqual([
      'no schema known for apiVersion "external-secrets.io/v1beta1" kind "ExternalSecret" (add it to schema-kinds.ts and schema-gate.ts)',
    ]);
  });

  it('should name unknown fields, wrong enums and missing required fields by path', () => {
    const s = secret();
    (s.spec.data[0]?.remoteRef as Record<string, unknown>).proprety = 'x';
    (s.spec.target as Record<string, unknown>).creationPolicy = 'Owned';
    (s.spec.secretStoreRef as Record<string, unknown>).name = undefined;
    s.spec.refreshInterval = 'hourly';
    expect(externalSecretProblems(s)).toEqual([
      '/spec/refreshInterval must be a Go duration such as "1h" or "30m"',
      '/spec/secretStoreRef/name is required',
      '/spec/target/creationPolicy Invalid option: expected one of "Owner"|"Orphan"|"Merge"|"None"',
      '/spec/data/0/remoteRef/proprety: unknown field; did you mean "property"?',
    ]);
  });

  it('should leave other kinds to the other schemas', () => {
    expect(externalSecretProblems({ apiVersion: 'v1', kind: 'Secret' })).toBeUndefined();
  });
});
