// Policy rule `shutdown-timing`: a terminating pod's grace period covers its preStop, drain and shutdown, and
// the ALB's settings fit it.
import type { K8sObject } from '../charts/k8s-object';
import { podTemplates } from './pods';
import { type Rule, ref, type Violation } from './types';

/** What the service uses when the variables are not set (service/src/config.ts). */
const SERVICE_DEFAULTS_MS = { SHUTDOWN_DRAIN_MS: 3000, SHUTDOWN_TIMEOUT_MS: 20_000 } as const;
/** The ALB's deregistration delay when target-group-attributes do not set it. */
const ALB_DEFAULT_DEREGISTRATION_SECONDS = 300;
const ALB = 'alb.ingress.kubernetes.io/';
/** ALB health check settings that must be explicit (the controller's defaults are 15 s and 5 failures). */
export const HEALTH_CHECK_ANNOTATIONS = [
  'healthcheck-path',
  'healthcheck-interval-seconds',
  'healthcheck-timeout-seconds',
  'healthy-threshold-count',
  'unhealthy-threshold-count',
] as const;

interface Container {
  readonly name: string;
  readonly env?: readonly { name: string; value?: string }[];
  readonly envFrom?: readonly { configMapRef?: { name: string } }[];
  readonly lifecycle?: { preStop?: { exec?: { command?: string[] }; sleep?: { seconds: number } } };
}

function preStopSeconds(c: Container): number {
  const hook = c.lifecycle?.preStop;
  if (hook?.sleep) return hook.sleep.seconds;
  const cmd = hook?.exec?.command ?? [];
  return cmd[0] === 'sleep' && /^[0-9]+$/.test(cmd[1] ?? '') ? Number(cmd[1]) : 0;
}

function envValue(objects: readonly K8sObject[], c: Container, name: string): string | undefined {
  const direct = c.env?.find((e) => e.name === name)?.value;
  if (direct !== undefined) return direct;
  for (const from of c.envFrom ?? []) {
    const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === from.configMapRef?.name);
    const value = (cm?.data as Record<string, string> | undefined)?.[name];
    if (value !== undefined) return value;
  }
  return undefined;
}

/**
 * A terminating pod outlives its work: grace > preStop + SHUTDOWN_DRAIN_MS + SHUTDOWN_TIMEOUT_MS (both rendered,
 * not left to the app's defaults), and the ALB's deregistration delay is at most the grace period, with the
 * health check set explicitly.
 */
export const shutdownTiming: Rule = {
  id: 'shutdown-timing',
  description:
    'terminationGracePeriodSeconds > preStop + SHUTDOWN_DRAIN_MS + SHUTDOWN_TIMEOUT_MS (rendered); ALB deregistration delay <= grace; health check explicit',
  check({ objects, environment }) {
    if (!environment) return [];
    const out: Violation[] = [];
    const add = (obj: K8sObject, message: string) =>
      out.push({ rule: 'shutdown-timing', object: ref(obj), message, key: 'shutdown' });
    let grace = Number.POSITIVE_INFINITY;
    for (const pod of podTemplates(objects)) {
      const podGrace = (pod.spec.terminationGracePeriodSeconds as number | undefined) ?? 30;
      grace = Math.min(grace, podGrace);
      for (const c of (pod.spec.containers ?? []) as Container[]) {
        const ms = (name: keyof typeof SERVICE_DEFAULTS_MS): number => {
          const value = envValue(objects, c, name);
          if (value === undefined) {
            add(
              pod.owner,
              `container "${c.name}" does not render ${name} (the service would fall back to ${SERVICE_DEFAULTS_MS[name]})`,
            );
            return SERVICE_DEFAULTS_MS[name];
          }
          return Number(value);
        };
        const preStop = preStopSeconds(c);
        const drain = ms('SHUTDOWN_DRAIN_MS');
        const timeout = ms('SHUTDOWN_TIMEOUT_MS');
        const needed = preStop + (drain + timeout) / 1000;
        if (podGrace <= needed) {
          add(
            pod.owner,
            `terminationGracePeriodSeconds ${podGrace} is not above preStop ${preStop} s + drain ${drain / 1000} s + in-flight timeout ${timeout / 1000} s = ${needed} s`,
          );
        }
      }
    }
    if (!Number.isFinite(grace)) return out;
    for (const ingress of objects.filter((o) => o.kind === 'Ingress')) {
      const annotations = (ingress.metadata.annotations ?? {}) as Record<string, string>;
      const attributes = annotations[`${ALB}target-group-attributes`] ?? '';
      const match = /(?:^|,)\s*deregistration_delay\.timeout_seconds=([0-9]+)/.exec(attributes);
      const delay = match ? Number(match[1]) : ALB_DEFAULT_DEREGISTRATION_SECONDS;
      if (delay > grace) {
        add(
          ingress,
          `ALB deregistration delay ${delay} s${match ? '' : ' (the default)'} exceeds the pods' terminationGracePeriodSeconds ${grace}`,
        );
      }
      const missing = HEALTH_CHECK_ANNOTATIONS.filter((a) => annotations[`${ALB}${a}`] === undefined);
      if (missing.length > 0) {
        add(
          ingress,
          `ALB health check is not explicit: ${missing.map((a) => `${ALB}${a}`).join(', ')} unset`,
        );
      }
    }
    return out;
  },
};
