// Policy rule `probes`: serving containers have liveness, readiness and startup probes on a declared port.
import { type ContainerSpec, type ProbeSpec, podTemplates } from './pods';
import { type Rule, ref, type Violation } from './types';

const KINDS = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;

function probePort(p: ProbeSpec): number | string | undefined {
  return p.httpGet?.port ?? p.tcpSocket?.port ?? p.grpc?.port;
}

function declared(c: ContainerSpec, port: number | string): boolean {
  return (c.ports ?? []).some((p) => p.containerPort === port || (p.name !== undefined && p.name === port));
}

/** Every container with a port has liveness, readiness and startup probes, each on a declared port. */
export const probes: Rule = {
  id: 'probes',
  description: 'Serving containers have liveness, readiness and startup probes on a declared container port',
  check({ objects }) {
    const out: Violation[] = [];
    for (const pod of podTemplates(objects)) {
      for (const c of pod.spec.containers ?? []) {
        if ((c.ports ?? []).length === 0) continue;
        for (const kind of KINDS) {
          const p = c[kind];
          const add = (message: string) => out.push({ rule: 'probes', object: ref(pod.owner), message });
          if (!p) {
            add(`container "${c.name}" has no ${kind}`);
            continue;
          }
          const port = probePort(p);
          if (port !== undefined && !declared(c, port)) {
            add(
              `container "${c.name}" ${kind} uses port ${JSON.stringify(port)}, which the container does not declare`,
            );
          }
        }
      }
    }
    return out;
  },
};
