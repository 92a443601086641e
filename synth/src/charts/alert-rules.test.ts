import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { MONITORING_DEFAULTS, type MonitoringSettings } from '../config/monitoring';
import { alertGroups } from './alert-rules';

const target = { namespace: 'guestlist-test', environment: 'test', service: 'guestlist' };
const settings: MonitoringSettings = { ...MONITORING_DEFAULTS, ruleLabels: {} };
const dir = mkdtempSync(join(tmpdir(), 'alert-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ns = 'namespace="guestlist-test"';
/** `n` one-minute samples growing by `perMinute` from 0. */
const grows = (perMinute: number, n = 400) => `0+${perMinute}x${n}`;
const requests = (status: string, perMinute: number, route = '/guests') => ({
  series: `http_requests_total{${ns},method="GET",route="${route}",status="${status}"}`,
  values: grows(perMinute),
});
const latency = (fastPerMinute: number, totalPerMinute: number) => [
  {
    series: `http_request_duration_seconds_bucket{${ns},method="GET",route="/guests",le="0.5"}`,
    values: grows(fastPerMinute),
  },
  {
    series: `http_request_duration_seconds_count{${ns},method="GET",route="/guests"}`,
    values: grows(totalPerMinute),
  },
];
const dynamo = (errorName: string, errorsPerMinute: number) => [
  { series: `dynamodb_call_duration_seconds_count{${ns},operation="Query"}`, values: grows(100) },
  {
    series: `dynamodb_call_errors_total{${ns},operation="Query",error="${errorName}"}`,
    values: grows(errorsPerMinute),
  },
];
const notReady = (value: number) => [
  {
    series: `kube_pod_status_ready{${ns},pod="guestlist-7d9f-abcde",condition="false"}`,
    values: `${value}x60`,
  },
];
const waiting = (value: number, restartsPerMinute: number) => [
  {
    series: `kube_pod_container_status_waiting_reason{${ns},pod="guestlist-7d9f-abcde",container="guestlist",reason="CrashLoopBackOff"}`,
    values: `${value}x60`,
  },
  {
    series: `kube_pod_container_status_restarts_total{${ns},pod="guestlist-7d9f-abcde",container="guestlist"}`,
    values: grows(restartsPerMinute, 60),
  },
];

interface Series {
  series: string;
  values: string;
}
interface Case {
  alert: string;
  at: string;
  firing: Series[];
  healthy: Series[];
  labels: Record<string, string>;
}

const severity = (s: string) => ({ severity: s, environment: 'test' });
const CASES: Case[] = [
  {
    alert: 'GuestlistErrorBudgetBurnFast',
    at: '30m',
    firing: [requests('200', 90), requests('500', 10)],
    // 0.5% 5xx is within 14.4x of a 0.1% budget, and a draining pod's 503s on /readyz are not user pain.
    healthy: [requests('200', 995), requests('500', 5), requests('503', 500, '/readyz')],
    labels: severity('critical'),
  },
  {
    alert: 'GuestlistErrorBudgetBurnSlow',
    at: '7h',
    firing: [requests('200', 990), requests('500', 10)],
    healthy: [requests('200', 999), requests('500', 1)],
    labels: severity('warning'),
  },
  {
    alert: 'GuestlistLatencyBudgetBurnFast',
    at: '30m',
    firing: latency(70, 100),
    healthy: latency(995, 1000),
    labels: severity('critical'),
  },
  {
    alert: 'GuestlistLatencyBudgetBurnSlow',
    at: '7h',
    firing: latency(90, 100),
    healthy: latency(995, 1000),
    labels: severity('warning'),
  },
  {
    alert: 'GuestlistPodsNotReady',
    at: '20m',
    firing: notReady(1),
    healthy: notReady(0),
    labels: { ...severity('warning'), pod: 'guestlist-7d9f-abcde' },
  },
  {
    alert: 'GuestlistCrashLooping',
    at: '20m',
    firing: waiting(1, 0),
    healthy: waiting(0, 0),
    labels: { ...severity('critical'), pod: 'guestlist-7d9f-abcde' },
  },
  {
    alert: 'GuestlistDynamoDBErrors',
    at: '20m',
    firing: dynamo('InternalServerError', 10),
    // Cancelled transactions are how the service rejects a duplicate person: an answer, not a failure.
    healthy: [...dynamo('InternalServerError', 1), ...dynamo('TransactionCanceledException', 50).slice(1)],
    labels: severity('critical'),
  },
  {
    alert: 'GuestlistDynamoDBThrottled',
    at: '20m',
    firing: dynamo('ThrottlingException', 6),
    healthy: dynamo('ConditionalCheckFailedException', 6),
    labels: severity('warning'),
  },
];

function writeRules(groups: unknown): string {
  const file = join(dir, 'rules.yaml');
  writeFileSync(file, stringify({ groups }));
  return file;
}

function promtool(args: string[]): { code: number; output: string } {
  try {
    return { code: 0, output: execFileSync('promtool', args, { encoding: 'utf8', stdio: 'pipe' }) };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    return { code: e.status, output: `${e.stdout}${e.stderr}` };
  }
}

describe('alertGroups', () => {
  const groups = alertGroups(target, settings);
  /** The alert's annotations as Prometheus expands them for the case's labels. */
  const annotations = (c: Case) => {
    const rule = groups.flatMap((g) => g.rules).find((r) => r.alert === c.alert);
    return Object.fromEntries(
      Object.entries(rule?.annotations ?? {}).map(([k, v]) => [
        k,
        v.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, l: string) => c.labels[l] ?? ''),
      ]),
    );
  };
  const rules = writeRules(groups);

  it('should pass promtool check rules', () => {
    const result = promtool(['check', 'rules', rules]);
    expect(result.output).toContain('SUCCESS: 8 rules found');
    expect(result.code).toBe(0);
  });

  it('should have a firing and a healthy promtool case for every alert', () => {
    const alerts = groups.flatMap((g) => g.rules.map((r) => r.alert)).sort();
    expect(CASES.map((c) => c.alert).sort()).toEqual(alerts);
  });

  it('should fire each alert on its synthetic series and stay silent on a healthy one (promtool test rules)', () => {
    const tests = CASES.flatMap((c) => [
      {
        name: `${c.alert} fires`,
        interval: '1m',
        input_series: c.firing,
        alert_rule_test: [
          {
            eval_time: c.at,
            alertname: c.alert,
            exp_alerts: [{ exp_labels: c.labels, exp_annotations: annotations(c) }],
          },
        ],
      },
      {
        name: `${c.alert} stays silent`,
        interval: '1m',
        input_series: c.healthy,
        alert_rule_test: [{ eval_time: c.at, alertname: c.alert, exp_alerts: [] }],
      },
    ]);
    const testFile = join(dir, 'rules.test.yaml');
    writeFileSync(testFile, stringify({ rule_files: [rules], evaluation_interval: '1m', tests }));
    const result = promtool(['test', 'rules', testFile]);
    expect(result.output).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });

  it('should fail promtool when an alert does not fire (the test can fail)', () => {
    const testFile = join(dir, 'negative.test.yaml');
    const c = CASES[0] as Case;
    const tests = [
      {
        name: 'expects a firing alert on healthy series',
        interval: '1m',
        input_series: c.healthy,
        alert_rule_test: [
          { eval_time: c.at, alertname: c.alert, exp_alerts: [{ exp_labels: { ...c.labels } }] },
        ],
      },
    ];
    writeFileSync(testFile, stringify({ rule_files: [rules], evaluation_interval: '1m', tests }));
    expect(promtool(['test', 'rules', testFile]).code).toBe(1);
  });

  it('should take the thresholds from the settings', () => {
    const strict = alertGroups(target, {
      ...settings,
      availabilityObjectivePercent: 99,
      latencyThresholdSeconds: 0.25,
      dynamodbErrorRatio: 0.1,
    });
    const expr = (name: string) => strict.flatMap((g) => g.rules).find((r) => r.alert === name)?.expr ?? '';
    expect(expr('GuestlistErrorBudgetBurnFast')).toContain('> 0.144 and');
    expect(expr('GuestlistLatencyBudgetBurnFast')).toContain('le="0.25"');
    expect(expr('GuestlistDynamoDBErrors')).toMatch(/> 0\.1$/);
  });
});
