import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkEnvironmentText } from './load';
import { VerificationSchema } from './verification';

const valid = {
  prometheus: { url: 'http://prometheus-operated.monitoring.svc:9090' },
  queries: [
    { name: 'error-rate', query: 'sum(rate(http_requests_total{code=~"5.."}[1m])) or vector(0)', max: 0.01 },
  ],
};

function issues(value: unknown): string[] {
  const r = VerificationSchema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('VerificationSchema', () => {
  it('should apply the soak and interval defaults', () => {
    expect(VerificationSchema.parse(valid)).toEqual({ ...valid, soak: '5m', interval: '30s' });
  });

  it('should name bad durations, duplicate query names and an interval longer than the soak', () => {
    expect(issues({ ...valid, soak: '5 minutes' })).toEqual([
      'soak: must be a duration such as 30s, 5m or 1h30m (whole numbers with ms, s, m or h)',
    ]);
    expect(issues({ ...valid, soak: '0s' })).toEqual(['soak: must be longer than 0']);
    expect(issues({ ...valid, soak: '1m', interval: '2m' })).toEqual([
      'interval: (2m) must not be longer than soak (1m)',
    ]);
    expect(issues({ ...valid, queries: [valid.queries[0], valid.queries[0]] })).toEqual([
      'queries.1.name: "error-rate" is used by another query',
    ]);
  });

  it('should require a URL, at least one query and known keys only', () => {
    expect(issues({ ...valid, prometheus: { url: 'prometheus:9090/x y' } })).toEqual([
      'prometheus.url: must be an http or https URL such as http://prometheus:9090',
    ]);
    expect(issues({ ...valid, queries: [] })).toEqual(['queries: must list at least one query']);
    expect(issues({ ...valid, queries: [{ name: 'Bad Name', query: ' ', max: 1 }] })).toEqual([
      'queries.0.name: must be lowercase letters, digits and "-" (1-63 characters)',
      'queries.0.query: must be a PromQL expression',
    ]);
    expect(issues({ ...valid, soakTime: '1m' })).toEqual([': Unrecognized key: "soakTime"']);
  });
});

describe('the verification key in an environment file', () => {
  const root = join(import.meta.dirname, '..', '..', '..');
  const prod = readFileSync(join(root, 'environments', 'prod.yaml'), 'utf8');
  const docs = readFileSync(join(root, 'docs', 'status-and-verify.md'), 'utf8');
  // The example of docs/status-and-verify.md: the yaml block that starts with the key.
  const example = /```yaml\n(verification:\n[\s\S]*?)```/.exec(docs)?.[1] ?? '';

  it("should accept the documentation's example appended to environments/prod.yaml, typed with its defaults", () => {
    expect(example).not.toBe('');
    const check = checkEnvironmentText(`${prod}${example}`, 'prod.yaml');
    expect(check.errors).toEqual([]);
    const v = check.config?.verification;
    expect(v?.prometheus.url).toBe('http://prometheus-operated.monitoring.svc:9090');
    expect([v?.soak, v?.interval, v?.queries.map((q) => q.name)]).toEqual([
      '5m',
      '30s',
      ['error-rate', 'p99-latency'],
    ]);
    expect(checkEnvironmentText(prod, 'prod.yaml').config?.verification).toBeUndefined();
  });

  it('should name a misspelled key with its position and the nearest allowed one', () => {
    const check = checkEnvironmentText(`${prod}${example.replace('soak:', 'soke:')}`, 'prod.yaml');
    expect(check.errors).toEqual([
      expect.stringMatching(
        /^environments\/prod\.yaml:\d+:3 verification\.soke: unknown key; did you mean "soak"\? \(allowed: prometheus, soak, interval, queries\)$/,
      ),
    ]);
  });
});
