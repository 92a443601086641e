import { describe, expect, it } from 'vitest';
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
