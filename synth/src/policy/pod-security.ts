// Policy rule `pod-security-restricted`: pods meet Pod Security "restricted" and have a read-only root
// filesystem.
import { containersOf, podTemplates } from './pods';
import { type Rule, ref, type Violation } from './types';

const ALLOWED_ADD = new Set(['NET_BIND_SERVICE']);

/** Pod Security Standards "restricted", plus a read-only root filesystem. */
export const podSecurityRestricted: Rule = {
  id: 'pod-security-restricted',
  description:
    'Pods meet Pod Security "restricted": non-root, no privilege escalation, drop ALL, seccomp, read-only root',
  check({ objects }) {
    const out: Violation[] = [];
    for (const pod of podTemplates(objects)) {
      const object = ref(pod.owner);
      const add = (message: string) => out.push({ rule: 'pod-security-restricted', object, message });
      const podCtx = pod.spec.securityContext ?? {};
      for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
        if (pod.spec[field] === true) add(`pod sets ${field}: true (host namespaces are not allowed)`);
      }
      const volumes = (pod.spec.volumes ?? []) as { name: string; hostPath?: unknown }[];
      for (const v of volumes) if (v.hostPath) add(`volume "${v.name}" is a hostPath volume (not allowed)`);
      const podSeccomp = (podCtx.seccompProfile as { type?: string } | undefined)?.type;
      for (const c of containersOf(pod)) {
        const sc = c.securityContext ?? {};
        const where = `container "${c.name}"`;
        if (sc.privileged === true) add(`${where} is privileged (must be false)`);
        if (sc.allowPrivilegeEscalation !== false) {
          add(
            `${where} securityContext.allowPrivilegeEscalation is ${String(sc.allowPrivilegeEscalation)} (must be false)`,
          );
        }
        if ((sc.runAsNonRoot ?? podCtx.runAsNonRoot) !== true)
          add(`${where} does not set runAsNonRoot: true`);
        if ((sc.runAsUser ?? podCtx.runAsUser) === 0) add(`${where} runs as user 0 (root)`);
        const caps = (sc.capabilities ?? {}) as { drop?: string[]; add?: string[] };
        if (!caps.drop?.includes('ALL'))
          add(`${where} securityContext.capabilities.drop does not include "ALL"`);
        for (const cap of caps.add ?? []) {
          if (!ALLOWED_ADD.has(cap))
            add(`${where} adds capability "${cap}" (only NET_BIND_SERVICE is allowed)`);
        }
        const seccomp = (sc.seccompProfile as { type?: string } | undefined)?.type ?? podSeccomp;
        if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') {
          add(
            `${where} seccompProfile.type is ${JSON.stringify(seccomp ?? null)} (must be RuntimeDefault or Localhost)`,
          );
        }
        if (sc.readOnlyRootFilesystem !== true)
          add(`${where} securityContext.readOnlyRootFilesystem is not true`);
      }
    }
    return out;
  },
};
